package org.cnnzoo.zoo.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * x[:, c] * scale[c] + shift[c] on channels-first images, applied where a layer reads the network's input: the
 * fixed re-normalisation some pretrained weights expect inside the network (torchvision's {@code transform_input}
 * for GoogLeNet and Inception v3). A preprocessor rather than a vertex, so that transfer learning, freezing and the
 * inference rewrites keep it with the layer it feeds.
 */
public class ChannelAffine extends BaseInputPreProcessor {
    private double[] scale;
    private double[] shift;

    public ChannelAffine(@JsonProperty("scale") double[] scale, @JsonProperty("shift") double[] shift) {
        if (scale == null || shift == null || scale.length != shift.length) {
            throw new IllegalArgumentException("scale and shift need one value per channel");
        }
        this.scale = scale.clone();
        this.shift = shift.clone();
    }

    /**
     * torchvision's {@code transform_input}: an input normalised with ImageNet's mean and std becomes one normalised
     * by (x - 0.5) / 0.5, which GoogLeNet's and Inception v3's published weights were trained on.
     */
    public static ChannelAffine torchvisionTransformInput() {
        double[] mean = {0.485, 0.456, 0.406};
        double[] std = {0.229, 0.224, 0.225};
        double[] scale = new double[3];
        double[] shift = new double[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = std[c] / 0.5;
            shift[c] = (mean[c] - 0.5) / 0.5;
        }
        return new ChannelAffine(scale, shift);
    }

    /** Puts this transform in front of every layer that reads the network's single input. */
    public void applyAtInput(ComputationGraphConfiguration conf) {
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (!e.getValue().contains(input)) {
                continue;
            }
            if (!(conf.getVertices().get(e.getKey()) instanceof LayerVertex reader)) {
                throw new IllegalArgumentException("the input goes straight into " + e.getKey() + ", not a layer");
            }
            InputPreProcessor own = reader.getPreProcessor();
            reader.setPreProcessor(own == null ? clone() : new ComposableInputPreProcessor(clone(), own));
        }
    }

    public double[] getScale() {
        return scale.clone();
    }

    public double[] getShift() {
        return shift.clone();
    }

    private INDArray perChannel(double[] values, INDArray like) {
        return Nd4j.createFromArray(values).castTo(like.dataType()).reshape(1, values.length, 1, 1);
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 4 || input.size(1) != scale.length) {
            throw new IllegalArgumentException("the input transform expects N x " + scale.length + " x H x W, got "
                    + Arrays.toString(input.shape()));
        }
        INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        out.muli(perChannel(scale, input)).addi(perChannel(shift, input));
        return out;
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output, 'c');
        return out.muli(perChannel(scale, output));
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return inputType;
    }

    @Override
    public ChannelAffine clone() {
        return new ChannelAffine(scale, shift);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelAffine a && Arrays.equals(scale, a.scale) && Arrays.equals(shift, a.shift);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scale) + Arrays.hashCode(shift);
    }
}
