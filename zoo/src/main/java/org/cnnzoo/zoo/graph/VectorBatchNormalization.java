package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

/**
 * DL4J's batch normalisation with its training backward pass computed by {@link BatchNormKernel} on the JDK's Vector
 * API. DL4J hands that pass to libnd4j's batchnorm_bp, which took 15% of ResNet-18's training step channels-first
 * and 40% channels-last (bench/RESULTS.md); the forward pass, inference and every case the kernel does not cover
 * (another data type, a locked gamma and beta, rank 2, no oneDNN helper, a JVM without the module) stay DL4J's. The
 * configuration is DL4J's, so a saved network reads back with either class.
 */
public class VectorBatchNormalization extends BatchNormalization {

    /** For JSON; the builder methods below set the rest. */
    public VectorBatchNormalization() {
    }

    /** PyTorch's eps and DL4J's decay (1 - PyTorch's momentum). */
    public static VectorBatchNormalization of(double eps, double decay) {
        VectorBatchNormalization b = new VectorBatchNormalization();
        b.setEps(eps);
        b.setDecay(decay);
        return b;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        LayerValidation.assertNOutSet("VectorBatchNormalization", getLayerName(), index, getNOut());
        Impl layer = new Impl(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    static final class Impl extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            BatchNormalization c = layerConf();
            if (!Vectors.available() || !(getHelper() instanceof MKLDNNBatchNormHelper helper) || input.rank() != 4
                    || input.dataType() != DataType.FLOAT || epsilon.dataType() != DataType.FLOAT || c.isLockGammaBeta()
                    || input.length() >= Integer.MAX_VALUE / 4 || helper.getMeanCache(DataType.FLOAT) == null) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            boolean last = c.getCnn2DFormat() == CNN2DFormat.NHWC;
            int batch = (int) input.size(0);
            int channels = (int) input.size(last ? 3 : 1);
            int plane = (int) (input.length() / batch / channels);
            INDArray x = dense(input);
            INDArray dy = dense(epsilon);
            INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
            float[] mean = helper.getMeanCache(DataType.FLOAT).toFloatVector();
            float[] var = helper.getVarCache(DataType.FLOAT).toFloatVector();
            float[] invStd = new float[channels];
            for (int i = 0; i < channels; i++) {
                invStd[i] = (float) (1 / Math.sqrt(var[i] + c.getEps()));
            }
            float[] dGamma = new float[channels];
            float[] dBeta = new float[channels];
            BatchNormKernel.backward(new BatchNormKernel.Arrays(x.data().asNio(), (int) x.offset(), dy.data().asNio(),
                            (int) dy.offset(), dx.data().asNio(), (int) dx.offset()), last, batch, channels, plane, mean,
                    invStd, getParam(BatchNormalizationParamInitializer.GAMMA).toFloatVector(), dGamma, dBeta);
            Gradient g = new DefaultGradient();
            setGradient(g, BatchNormalizationParamInitializer.GAMMA, dGamma);
            setGradient(g, BatchNormalizationParamInitializer.BETA, dBeta);
            runningStatistics(c, mean, var, g);
            return new Pair<>(g, dx);
        }

        /**
         * DL4J's running mean and variance move through their "gradients", which the updater subtracts (safe to
         * average across workers): mean - (1 - decay)(mean - batch mean), and likewise the variance or, as the zoo
         * stores it, log10 of the standard deviation.
         */
        private void runningStatistics(BatchNormalization c, float[] batchMean, float[] batchVar, Gradient g) {
            double decay = c.getDecay();
            float[] mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toFloatVector();
            float[] dMean = new float[mean.length];
            for (int i = 0; i < mean.length; i++) {
                dMean[i] = (float) ((mean[i] - batchMean[i]) * (1 - decay));
            }
            setGradient(g, BatchNormalizationParamInitializer.GLOBAL_MEAN, dMean);
            String key = c.isUseLogStd() ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                    : BatchNormalizationParamInitializer.GLOBAL_VAR;
            float[] stored = getParam(key).toFloatVector();
            float[] delta = new float[stored.length];
            for (int i = 0; i < stored.length; i++) {
                if (c.isUseLogStd()) {
                    double var = Math.pow(10, 2 * stored[i]);
                    double next = var * decay + batchVar[i] * (1 - decay);
                    delta[i] = (float) (Math.log(var / next) / (2 * Math.log(10)));
                } else {
                    delta[i] = (float) ((stored[i] - batchVar[i]) * (1 - decay));
                }
            }
            setGradient(g, key, delta);
        }

        private void setGradient(Gradient g, String key, float[] values) {
            INDArray view = gradientViews.get(key);
            view.assign(Nd4j.createFromArray(values).reshape(view.shape()));
            g.setGradientFor(key, view);
        }

        private static INDArray dense(INDArray a) {
            return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && !a.isView() ? a : a.dup('c');
        }
    }
}
