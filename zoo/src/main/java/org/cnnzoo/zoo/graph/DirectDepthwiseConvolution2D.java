package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

/**
 * DL4J's depthwise convolution whose backward pass, when it has no activation (every one followed by batch norm),
 * goes straight from the gradient to libnd4j's depthwise_conv2d_bp: DL4J's first recomputes the whole forward
 * convolution only to apply the identity's derivative (bench/RESULTS.md). With an activation, weight noise or another
 * data type it is DL4J's layer; the configuration is DL4J's, so a saved network reads back with either class.
 */
public class DirectDepthwiseConvolution2D extends DepthwiseConvolution2D {

    /** For JSON. */
    public DirectDepthwiseConvolution2D() {
    }

    public DirectDepthwiseConvolution2D(DepthwiseConvolution2D.Builder builder) {
        super(builder);
        ConvolutionUtils.validateConvolutionModePadding(getConvolutionMode(), getPadding());
        ConvolutionUtils.validateCnnKernelStridePadding(getKernelSize(), getStride(), getPadding());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        LayerValidation.assertNInNOutSet("DirectDepthwiseConvolution2D", getLayerName(), index, getNIn(), getNOut());
        return LayerInstances.attach(new Impl(conf, dataType), conf, listeners, index, paramsView, initializeParams);
    }

    /** A system property that, set to "off", keeps libnd4j's backward pass (to compare the two). */
    static final String DISABLE = "cnnzoo.depthwise.vector";

    static final class Impl extends DepthwiseConvolution2DLayer {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            DepthwiseConvolution2D c = (DepthwiseConvolution2D) layerConf();
            if (!(c.getActivationFn() instanceof ActivationIdentity) || c.getWeightNoise() != null || input.rank() != 4
                    || input.dataType() != dataType || epsilon.dataType() != dataType) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            boolean nchw = c.getCnn2dDataFormat() == CNN2DFormat.NCHW;
            INDArray weights = getParam(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
            int[] kernel = c.getKernelSize();
            int[] strides = c.getStride();
            int[] dilation = c.getDilation();
            int[] pad = c.getPadding();
            if (c.getConvolutionMode() == ConvolutionMode.Same) {
                int[] outSize = ConvolutionUtils.getOutputSize(input, kernel, strides, null, c.getConvolutionMode(),
                        dilation, c.getCnn2dDataFormat());
                int[] inSize = {(int) input.size(nchw ? 2 : 1), (int) input.size(nchw ? 3 : 2)};
                pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, strides, dilation);
            }
            INDArray inputGradient = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
            INDArray weightGradient = gradientViews.get(DepthwiseConvolutionParamInitializer.WEIGHT_KEY);
            INDArray biasGradient = gradientViews.get(DepthwiseConvolutionParamInitializer.BIAS_KEY);
            DepthwiseKernel.Shape shape = nchw ? new DepthwiseKernel.Shape((int) input.size(0), (int) input.size(1),
                    (int) input.size(2), (int) input.size(3), (int) epsilon.size(2), (int) epsilon.size(3), kernel[0],
                    kernel[1], strides[0], strides[1], pad[0], pad[1]) : null;
            if (vectorised(c, shape, weights, epsilon, inputGradient)) {
                float[] dW = new float[(int) weights.length()];
                float[] dBias = c.hasBias() ? new float[(int) biasGradient.length()] : null;
                DepthwiseKernel.backward(shape, planes(input), weights.dup('c').reshape(-1).toFloatVector(), planes(epsilon),
                        planes(inputGradient), dW, dBias);
                weightGradient.assign(Nd4j.createFromArray(dW).reshape('c', weightGradient.shape()));
                if (dBias != null) {
                    biasGradient.assign(Nd4j.createFromArray(dBias).reshape('c', biasGradient.shape()));
                }
            } else {
                DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("depthwise_conv2d_bp")
                        .addIntegerArguments(kernel[0], kernel[1], strides[0], strides[1], pad[0], pad[1], dilation[0],
                                dilation[1], c.getConvolutionMode() == ConvolutionMode.Same ? 1 : 0, nchw ? 0 : 1)
                        .callInplace(false);
                if (c.hasBias()) {
                    op.addInputs(input, weights, getParam(DepthwiseConvolutionParamInitializer.BIAS_KEY), epsilon)
                            .addOutputs(inputGradient, weightGradient, biasGradient);
                } else {
                    op.addInputs(input, weights, epsilon).addOutputs(inputGradient, weightGradient);
                }
                Nd4j.getExecutioner().exec(op.build());
            }
            Gradient gradient = new DefaultGradient();
            if (c.hasBias()) {
                gradient.setGradientFor(DepthwiseConvolutionParamInitializer.BIAS_KEY, biasGradient);
            }
            gradient.setGradientFor(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
            return new Pair<>(gradient, backpropDropOutIfPresent(inputGradient));
        }

        /**
         * The Vector API kernel's case: NCHW, no dilation, one filter per channel, every input element on the
         * output's grid ({@link DepthwiseKernel.Shape#covered}), planes contiguous.
         */
        private boolean vectorised(DepthwiseConvolution2D c, DepthwiseKernel.Shape shape, INDArray weights,
                                   INDArray epsilon, INDArray inputGradient) {
            return shape != null && shape.covered() && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                    && c.getDepthMultiplier() == 1 && weights.size(3) == 1 && epsilon.size(1) == input.size(1)
                    && shape.padTop() >= 0 && shape.padLeft() >= 0 && shape.padTop() < shape.kernelHeight()
                    && shape.padLeft() < shape.kernelWidth() && planar(input) && planar(epsilon)
                    && planar(inputGradient) && !"off".equals(System.getProperty(DISABLE));
        }

        /**
         * Whether each (image, channel) plane of a 4-d float array is one contiguous run in its buffer: DL4J's
         * convolutions hand on their output as a permuted view whose planes are, so no copy is needed.
         */
        private static boolean planar(INDArray a) {
            long[] st = a.stride();
            long extent = a.offset() + (a.size(0) - 1) * st[0] + (a.size(1) - 1) * st[1] + a.size(2) * a.size(3);
            return Vectors.available() && a.dataType() == DataType.FLOAT && a.rank() == 4 && st[3] == 1
                    && st[2] == a.size(3) && st[0] >= 0 && st[1] >= 0 && extent <= a.data().length()
                    && extent < Integer.MAX_VALUE / 4;
        }

        private static DepthwiseKernel.Planes planes(INDArray a) {
            return new DepthwiseKernel.Planes(a.data().asNio(), (int) a.offset(), (int) a.stride(0), (int) a.stride(1));
        }
    }
}
