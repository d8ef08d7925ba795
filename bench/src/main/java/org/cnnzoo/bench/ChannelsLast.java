package org.cnnzoo.bench;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;

/**
 * A tuning experiment: a zoo network's configuration switched to channels-last (NHWC) data, layer by layer, so
 * that it takes NHWC input. Only for the benchmark: networks whose vertices assume channels-first (concatenation
 * of channels, channel scaling) are refused.
 */
final class ChannelsLast {
    private ChannelsLast() {
    }

    static void convert(ComputationGraphConfiguration conf) {
        for (var e : conf.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            if (v instanceof MergeVertex || v.getClass().getSimpleName().equals("ChannelScaleVertex")) {
                throw new IllegalArgumentException("vertex " + e.getKey() + " assumes channels-first data");
            }
            if (!(v instanceof LayerVertex lv)) {
                continue;
            }
            var layer = lv.getLayerConf().getLayer();
            if (layer instanceof ConvolutionLayer c) {
                c.setCnn2dDataFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof SubsamplingLayer s) {
                s.setCnn2dDataFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof BatchNormalization b) {
                b.setCnn2DFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof ZeroPaddingLayer z) {
                z.setDataFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof GlobalPoolingLayer g) {
                g.setPoolingDimensions(new int[]{1, 2});
            }
        }
    }
}
