package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
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
 * DL4J's batch normalisation with its training passes computed by {@link BatchNormKernel} on the JDK's Vector API.
 * DL4J hands the backward pass to libnd4j's batchnorm_bp, which took 15% of ResNet-18's training step channels-first
 * and 40% channels-last, and computes the batch variance of the forward pass with a reduction that took about a third
 * of MobileNet v2's step (bench/RESULTS.md). Inference and every case the kernel does not cover (another data type,
 * locked gamma and beta, rank 2, a JVM without the module) stay DL4J's. The configuration is DL4J's, so a saved
 * network reads back with either class.
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
        return LayerInstances.attach(new Impl(conf, dataType), conf, listeners, index, paramsView, initializeParams);
    }

    static final class Impl extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {
        /** The batch statistics of the last training forward pass the kernel ran, for the backward pass. */
        private float[] batchMean;
        private float[] batchVar;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private boolean kernelRuns(INDArray x) {
            return Vectors.available() && x.rank() == 4 && x.dataType() == DataType.FLOAT && !layerConf().isLockGammaBeta()
                    && x.length() < Integer.MAX_VALUE / 4;
        }

        private BatchNormKernel.Shape shape(INDArray x) {
            boolean last = layerConf().getCnn2DFormat() == CNN2DFormat.NHWC;
            int batch = (int) x.size(0);
            int channels = (int) x.size(last ? 3 : 1);
            return new BatchNormKernel.Shape(last, batch, channels, (int) (x.length() / batch / channels));
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            batchMean = null;
            batchVar = null;
            if (!training || !kernelRuns(input)) {
                return super.activate(training, workspaceMgr);
            }
            assertInputSet(false);
            INDArray x = dense(input);
            BatchNormKernel.Shape s = shape(x);
            if (s.channels() != layerConf().getNOut()) {
                return super.activate(training, workspaceMgr);
            }
            INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
            float[] mean = new float[s.channels()];
            float[] var = new float[s.channels()];
            BatchNormKernel.forward(s, floats(x), floats(y), getParam(BatchNormalizationParamInitializer.GAMMA).toFloatVector(),
                    getParam(BatchNormalizationParamInitializer.BETA).toFloatVector(), layerConf().getEps(), mean, var);
            batchMean = mean;
            batchVar = var;
            return y;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            BatchNormalization c = layerConf();
            if (batchMean == null || !kernelRuns(input) || epsilon.dataType() != DataType.FLOAT) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            INDArray x = dense(input);
            INDArray dy = dense(epsilon);
            INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(), 'c');
            BatchNormKernel.Shape s = shape(x);
            float[] dGamma = new float[s.channels()];
            float[] dBeta = new float[s.channels()];
            BatchNormKernel.backward(s, floats(x), floats(dy), floats(dx),
                    getParam(BatchNormalizationParamInitializer.GAMMA).toFloatVector(), c.getEps(), batchMean, batchVar,
                    dGamma, dBeta);
            Gradient g = new DefaultGradient();
            setGradient(g, BatchNormalizationParamInitializer.GAMMA, dGamma);
            setGradient(g, BatchNormalizationParamInitializer.BETA, dBeta);
            runningStatistics(c, batchMean, batchVar, g);
            return new Pair<>(g, dx);
        }

        private static BatchNormKernel.Floats floats(INDArray a) {
            return new BatchNormKernel.Floats(a.data().asNio(), (int) a.offset());
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
