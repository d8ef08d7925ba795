package org.cnnzoo.zoo.inference;

import org.cnnzoo.zoo.graph.DirectDepthwiseConvolution2D;
import org.cnnzoo.zoo.graph.OneDnnConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inference-time folding of a batch norm into the convolution before it: with the running statistics fixed,
 * {@code gamma * (conv(x) + b - mean) / sqrt(var + eps) + beta} is a convolution with every output channel's
 * filter scaled by {@code s = gamma / sqrt(var + eps)} and bias {@code b * s + beta - mean * s}. DL4J has no such
 * pass, and its batch norm is a separate op costing about a fifth of MobileNet v2's inference (bench/RESULTS.md).
 */
final class BatchNormFolding {
    private BatchNormFolding() {
    }

    /** Folds every batch norm that directly and solely follows a plain or depthwise convolution. Returns their names. */
    static List<String> apply(GraphRewrite g) {
        List<String> folded = new ArrayList<>();
        for (String bn : List.copyOf(g.conf.getVertices().keySet())) {
            if (g.layer(bn) instanceof BatchNormalization norm && foldable(g, bn, norm)) {
                fold(g, g.inputs(bn).get(0), bn, norm);
                folded.add(bn);
            }
        }
        return folded;
    }

    // DL4J's batch norm ignores its activation function (the global default, sigmoid, is set but never applied)
    private static boolean foldable(GraphRewrite g, String bn, BatchNormalization norm) {
        List<String> in = g.inputs(bn);
        if (in.size() != 1 || !g.changeable(bn) || norm.isLockGammaBeta()
                || g.layerVertex(bn).getPreProcessor() != null) {
            return false;
        }
        String conv = in.get(0);
        Layer layer = g.layer(conv);
        return isConvolution(layer) && g.changeable(conv) && isIdentity((ConvolutionLayer) layer)
                && g.consumers(conv).size() == 1;
    }

    /** A 2-d convolution of DL4J's or the project's, not a subclass that computes something else. */
    static boolean isConvolution(Layer layer) {
        return layer != null && (layer.getClass() == ConvolutionLayer.class
                || layer.getClass() == OneDnnConvolutionLayer.class || layer.getClass() == DepthwiseConvolution2D.class
                || layer.getClass() == DirectDepthwiseConvolution2D.class);
    }

    static boolean isIdentity(org.deeplearning4j.nn.conf.layers.BaseLayer layer) {
        return layer.getActivationFn() == null || layer.getActivationFn() instanceof ActivationIdentity;
    }

    /**
     * The batch norm's fixed per-channel map {@code x * scale + shift} (running statistics): scale, then shift, as
     * vectors.
     */
    static INDArray[] scaleAndShift(BatchNormalization norm, Map<String, INDArray> stats) {
        INDArray variance;
        if (norm.isUseLogStd()) {
            INDArray log10Std = stats.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, log10Std.dataType()), log10Std);
            variance = std.mul(std);
        } else {
            variance = stats.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        INDArray scale = stats.get(BatchNormalizationParamInitializer.GAMMA)
                .div(Transforms.sqrt(variance.add(norm.getEps()), false)).reshape(-1);
        INDArray mean = stats.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
        INDArray shift = stats.get(BatchNormalizationParamInitializer.BETA).reshape(-1).sub(mean.mul(scale));
        return new INDArray[]{scale, shift};
    }

    private static void fold(GraphRewrite g, String conv, String bn, BatchNormalization norm) {
        INDArray[] map = scaleAndShift(norm, g.params.get(bn));
        INDArray scale = map[0];
        ConvolutionLayer layer = (ConvolutionLayer) g.layer(conv);
        var params = g.params.get(conv);
        INDArray w = params.get(ConvolutionParamInitializer.WEIGHT_KEY);
        long channels = scale.length();
        INDArray scaled;
        if (layer instanceof DepthwiseConvolution2D) {
            // [kH, kW, nIn, depthMultiplier]; output channel i * multiplier + m
            long[] s = w.shape();
            scaled = w.mul(scale.reshape(1, 1, s[2], s[3]));
        } else {
            // [nOut, nIn, kH, kW]
            scaled = w.mul(scale.reshape(channels, 1, 1, 1));
        }
        INDArray bias = layer.hasBias() ? params.get(ConvolutionParamInitializer.BIAS_KEY).reshape(-1)
                : Nd4j.zeros(w.dataType(), channels);
        INDArray newBias = bias.mul(scale).addi(map[1]).reshape(1, channels);
        params.put(ConvolutionParamInitializer.WEIGHT_KEY, scaled);
        params.put(ConvolutionParamInitializer.BIAS_KEY, newBias);
        layer.setHasBias(true);
        layer.setActivationFn(Activation.IDENTITY.getActivationFunction());
        g.bypass(bn);
    }
}
