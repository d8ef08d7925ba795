package org.cnnzoo.zoo;

import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.cnnzoo.zoo.models.AlexNet;
import org.cnnzoo.zoo.models.Vgg;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong use gives a message that names the problem and what to do. */
class NetBuilderTest {

    @Test
    void unknownNetworkNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.get("resnet51"));
        assertTrue(e.getMessage().contains("resnet51") && e.getMessage().contains("resnet50"), e.getMessage());
        assertEquals("inception_v3", Zoo.get("Inception-V3").name());
    }

    @Test
    void anInputTooSmallForTheNetworkSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vgg.vgg16().optInput(16, 16, 3).build());
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    @Test
    void adaptivePoolingIsExactOrRefused() {
        // 224 -> 6x6 features: identity; 64 -> 1x1: upsampled; 100 -> 2x2: also a divisor of 6
        assertEquals(61_100_840L, AlexNet.alexnet().init().numParams());
        AlexNet.alexnet().optInput(64, 64, 3).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AlexNet.alexnet().optInput(160, 160, 3).build());
        assertTrue(e.getMessage().contains("avgpool") && e.getMessage().contains("4x4"), e.getMessage());
    }

    @Test
    void vertexNamesAreUnique() {
        NetBuilder net = new NetBuilder(8, 8, 1, 1, new Adam(1e-3));
        Node a = net.conv("conv", net.input(), 2, 3, 1, 1, false);
        assertThrows(IllegalArgumentException.class, () -> net.conv("conv", a, 2, 3, 1, 1, false));
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Vgg.vgg16().optClasses(0));
        assertThrows(IllegalArgumentException.class, () -> Vgg.vgg16().optInput(0, 224, 3));
    }
}
