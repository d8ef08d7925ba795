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
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

/**
 * DL4J's convolution with two of its passes handed to oneDNN directly. Inference: DL4J's layer copies every
 * channels-last input into a new NCHW array and then passes oneDNN the original input, never reading the copy
 * (ConvolutionLayer.preOutput in 1.0.0-M2.1), 22% of MobileNet v2's inference after the other rewrites. Training:
 * DL4J's backward pass first recomputes the forward convolution to apply the activation's derivative, which for a
 * convolution without an activation (every one followed by batch norm) is the identity, so the recomputation is
 * dropped: a third of ResNet-18's training step (bench/RESULTS.md). Other data types, weight noise, an activation and
 * a machine without the oneDNN helper take DL4J's own path; the configuration is DL4J's, so a saved network reads
 * back with either class.
 */
public class OneDnnConvolutionLayer extends ConvolutionLayer {

    /** For JSON. */
    public OneDnnConvolutionLayer() {
    }

    /** The same convolution as {@code from}, in the same layout. */
    public static OneDnnConvolutionLayer of(ConvolutionLayer from) {
        OneDnnConvolutionLayer c = new OneDnnConvolutionLayer();
        c.setKernelSize(from.getKernelSize().clone());
        c.setStride(from.getStride().clone());
        c.setPadding(from.getPadding().clone());
        c.setDilation(from.getDilation().clone());
        c.setNIn(from.getNIn());
        c.setNOut(from.getNOut());
        c.setHasBias(from.hasBias());
        c.setActivationFn(from.getActivationFn());
        c.setConvolutionMode(from.getConvolutionMode());
        c.setCnn2dDataFormat(from.getCnn2dDataFormat());
        c.setCudnnAlgoMode(from.getCudnnAlgoMode());
        c.setLayerName(from.getLayerName());
        c.setIUpdater(from.getIUpdater());
        c.setBiasUpdater(from.getBiasUpdater());
        c.setRegularization(from.getRegularization());
        c.setRegularizationBias(from.getRegularizationBias());
        c.setWeightNoise(from.getWeightNoise());
        c.setIDropout(from.getIDropout());
        c.setGradientNormalization(from.getGradientNormalization());
        c.setGradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        c.setWeightInitFn(from.getWeightInitFn());
        c.setBiasInit(from.getBiasInit());
        c.setGainInit(from.getGainInit());
        return c;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        LayerValidation.assertNInNOutSet("OneDnnConvolutionLayer", getLayerName(), index, getNIn(), getNOut());
        return LayerInstances.attach(new Impl(conf, dataType), conf, listeners, index, paramsView, initializeParams);
    }

    static final class Impl extends org.deeplearning4j.nn.layers.convolution.ConvolutionLayer {
        private INDArray zeroBias;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
            if (training || forBackprop || layerConf().getCnn2dDataFormat() != CNN2DFormat.NHWC
                    || !(helper instanceof MKLDNNConvHelper) || input.dataType() != DataType.FLOAT) {
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

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            ConvolutionLayer c = layerConf();
            if (!(c.getActivationFn() instanceof ActivationIdentity) || !(helper instanceof MKLDNNConvHelper)
                    || input.dataType() != DataType.FLOAT || epsilon.dataType() != DataType.FLOAT || c.getWeightNoise() != null) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
            INDArray bias = c.hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
            Pair<Gradient, INDArray> ret = helper.backpropGradient(input, weights, bias, epsilon, c.getKernelSize(),
                    c.getStride(), c.getPadding(), gradientViews.get(ConvolutionParamInitializer.BIAS_KEY),
                    gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY), c.getActivationFn(), c.getCudnnAlgoMode(),
                    c.getCudnnBwdFilterAlgo(), c.getCudnnBwdDataAlgo(), c.getConvolutionMode(), c.getDilation(),
                    c.getCnn2dDataFormat(), workspaceMgr);
            if (ret == null) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            ret.setSecond(backpropDropOutIfPresent(ret.getSecond()));
            return ret;
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
