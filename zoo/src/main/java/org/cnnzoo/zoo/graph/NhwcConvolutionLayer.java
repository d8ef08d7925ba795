package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

/**
 * A channels-last convolution for inference that hands its input straight to oneDNN. DL4J's own layer first copies
 * an NHWC input into an NCHW array and then, when oneDNN runs the convolution, passes oneDNN the original input and
 * never reads the copy (ConvolutionLayer.preOutput in 1.0.0-M2.1): a full copy of every convolution's input, 22% of
 * MobileNet v2's inference time after the other rewrites (bench/RESULTS.md). Training, other data types and a
 * machine without the oneDNN helper take DL4J's own path.
 */
public class NhwcConvolutionLayer extends ConvolutionLayer {

    public NhwcConvolutionLayer(ConvolutionLayer from) {
        super(new ConvolutionLayer.Builder(from.getKernelSize(), from.getStride(), from.getPadding())
                .dilation(from.getDilation())
                .nIn(from.getNIn())
                .nOut(from.getNOut())
                .hasBias(from.hasBias())
                .activation(from.getActivationFn())
                .convolutionMode(from.getConvolutionMode())
                .dataFormat(CNN2DFormat.NHWC)
                .cudnnAlgoMode(from.getCudnnAlgoMode())
                .name(from.getLayerName()));
        if (from.getCnn2dDataFormat() != CNN2DFormat.NHWC) {
            throw new IllegalArgumentException(from.getLayerName() + " is not channels-last");
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        LayerValidation.assertNInNOutSet("NhwcConvolutionLayer", getLayerName(), index, getNIn(), getNOut());
        Impl layer = new Impl(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** DL4J's convolution with the inference forward pass going to oneDNN without the unused copy. */
    static final class Impl extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {
        private INDArray zeroBias;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
            if (training || forBackprop || !(helper instanceof MKLDNNConvHelper) || input.dataType() != DataType.FLOAT) {
                return super.preOutput(training, forBackprop, workspaceMgr);
            }
            ConvolutionLayer c = layerConf();
            INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
            INDArray bias = c.hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : zeroBias(c);
            INDArray out = helper.preOutput(input, weights, bias, c.getKernelSize(), c.getStride(), c.getPadding(),
                    c.getCudnnAlgoMode(), c.getCudnnFwdAlgo(), c.getConvolutionMode(), c.getDilation(), CNN2DFormat.NHWC,
                    workspaceMgr);
            return out == null ? super.preOutput(training, forBackprop, workspaceMgr) : new Pair<>(out, null);
        }

        private INDArray zeroBias(ConvolutionLayer c) {
            if (zeroBias == null) {
                try (var ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    zeroBias = Nd4j.zeros(DataType.FLOAT, 1, c.getNOut());
                }
            }
            return zeroBias;
        }
    }
}
