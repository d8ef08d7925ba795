package org.cnnzoo.zoo.inference;

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

/**
 * Inference-time folding of a batch norm into the convolution before it: with the running statistics fixed,
 * {@code gamma * (conv(x) + b - mean) / sqrt(var + eps) + beta} is a convolution with every output channel's
 * filter scaled by {@code s = gamma / sqrt(var + eps)} and bias {@code (b - mean) * s + beta}. DL4J has no such
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
        boolean plainConv = layer != null && (layer.getClass() == ConvolutionLayer.class
                || layer.getClass() == DepthwiseConvolution2D.class);
        return plainConv && g.changeable(conv) && isIdentity((ConvolutionLayer) layer)
                && g.consumers(conv).size() == 1;
    }

    static boolean isIdentity(org.deeplearning4j.nn.conf.layers.BaseLayer layer) {
        return layer.getActivationFn() == null || layer.getActivationFn() instanceof ActivationIdentity;
    }

    private static void fold(GraphRewrite g, String conv, String bn, BatchNormalization norm) {
        var stats = g.params.get(bn);
        INDArray variance;
        if (norm.isUseLogStd()) {
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(stats.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).shape(),
                    10.0, stats.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).dataType()),
                    stats.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
            variance = std.mul(std);
        } else {
            variance = stats.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }
        INDArray scale = stats.get(BatchNormalizationParamInitializer.GAMMA)
                .div(Transforms.sqrt(variance.add(norm.getEps()), false)).reshape(-1);
        INDArray mean = stats.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
        INDArray beta = stats.get(BatchNormalizationParamInitializer.BETA).reshape(-1);

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
        INDArray newBias = bias.sub(mean).muli(scale).addi(beta).reshape(1, channels);
        params.put(ConvolutionParamInitializer.WEIGHT_KEY, scaled);
        params.put(ConvolutionParamInitializer.BIAS_KEY, newBias);
        layer.setHasBias(true);
        layer.setActivationFn(Activation.IDENTITY.getActivationFunction());
        g.bypass(bn);
    }
}
