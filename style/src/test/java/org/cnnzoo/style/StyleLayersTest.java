package org.cnnzoo.style;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.models.Vgg;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VGG-19 preset names the paper's layers in the zoo's VGG-19 (torchvision's module paths): conv1_1, conv2_1,
 * conv3_1, conv4_1, conv5_1 and conv4_2 are features.0/5/10/19/28 and features.21, each followed by the ReLU the
 * zoo applies inside the convolution. Checked on the network as built (torchvision's weights cannot be fetched
 * here; they load into this same graph by name).
 */
class StyleLayersTest {

    @Test
    void vgg19PresetReadsThePapersLayers() {
        ComputationGraph vgg = Vgg.vgg19().optInput(32, 32, 3).init();
        assertEquals(StyleLayers.VGG19, StyleLayers.presetFor(vgg).orElseThrow());
        // the paper's conv layers by their filters: 64, 128, 256, 512, 512 for conv1_1 ... conv5_1, 512 for conv4_2
        int[] filters = {64, 128, 256, 512, 512};
        StyleTransfer transfer = new StyleTransfer(vgg, StyleLayers.VGG19, Normalization.IMAGENET);
        INDArray picture = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32);
        INDArray[] acts = transfer.activations(picture);
        List<String> layers = StyleLayers.VGG19.layers();
        assertEquals(512, acts[layers.indexOf("features.21")].size(1));
        assertArrayEquals(new long[]{1, 512, 4, 4}, acts[layers.indexOf("features.21")].shape());
        for (int i = 0; i < filters.length; i++) {
            INDArray a = acts[layers.indexOf(StyleLayers.VGG19.style().get(i).layer())];
            assertEquals(filters[i], a.size(1));
            assertTrue(a.minNumber().doubleValue() >= 0, "after the ReLU");
        }
        assertEquals(StyleLayers.CostWeights.COURSE, StyleLayers.VGG19.costs());
    }

    @Test
    void aNetworkWithoutThePresetsLayersHasNone() {
        ComputationGraph resnet = org.cnnzoo.zoo.models.ResNet.resnet18().optInput(32, 32, 3).init();
        assertTrue(StyleLayers.presetFor(resnet).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new StyleLayers("none", "conv1", List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new StyleLayers.Weighted("conv1", -1));
    }
}
