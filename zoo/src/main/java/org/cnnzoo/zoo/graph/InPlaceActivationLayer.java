package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.common.primitives.Pair;

import java.util.Collection;

/**
 * DL4J's activation layer, applied in place during training as DL4J already applies it in inference. DL4J's layer
 * copies its input in training so that the backward pass can read it: a third of the activation memory of a
 * convolution, batch norm, ReLU chain (ResNet-50's activation workspace is 2.4 GB at batch 16, bench/RESULTS.md)
 * and a pass over it. For ReLU and ReLU6 the backward pass reads the same derivative from the output (y > 0 exactly
 * where x > 0; 0 < y < 6 exactly where 0 < x < 6), and applying either twice changes nothing, so the copy buys
 * nothing, provided nothing else reads the input: the zoo's builder uses this layer only where the input has no
 * other reader ({@link #of}). The configuration is DL4J's.
 */
public class InPlaceActivationLayer extends ActivationLayer {

    /** For JSON. */
    public InPlaceActivationLayer() {
    }

    /** Whether an activation's derivative can be read from its output, so that it may run in place. */
    public static boolean qualifies(IActivation fn) {
        return fn instanceof FastRelu6 || fn instanceof ActivationReLU r
                && r.getMax() == null && r.getThreshold() == null && r.getNegativeSlope() == null;
    }

    /**
     * The same layer, in place; only for an input that no other vertex reads, whose values it overwrites.
     *
     * @throws IllegalArgumentException when the activation does not {@link #qualifies qualify}
     */
    public static InPlaceActivationLayer of(ActivationLayer from) {
        if (!qualifies(from.getActivationFn())) {
            throw new IllegalArgumentException(from.getLayerName() + ": " + from.getActivationFn()
                    + " cannot run in place (its derivative needs its input)");
        }
        InPlaceActivationLayer layer = new InPlaceActivationLayer();
        layer.setActivationFn(from.getActivationFn());
        layer.setLayerName(from.getLayerName());
        layer.setIDropout(from.getIDropout());
        return layer;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return LayerInstances.attach(new Impl(conf, dataType), conf, listeners, index, paramsView, initializeParams);
    }

    /** A system property that, set to "off", keeps DL4J's backward pass (to compare the two). */
    static final String DISABLE = "cnnzoo.relu.vector";

    static final class Impl extends org.deeplearning4j.nn.layers.ActivationLayer {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!training || !qualifies(layerConf().getActivationFn())) {
                return super.activate(training, workspaceMgr);
            }
            assertInputSet(false);
            return layerConf().getActivationFn().getActivation(workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input), true);
        }

        /**
         * The gradient straight from the output and the incoming gradient into a new array, where DL4J's layer first
         * copies its input and then runs ND4J's relu_bp over the copy (10% of ResNet-50's training step,
         * bench/RESULTS.md).
         */
        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            IActivation fn = layerConf().getActivationFn();
            // ReLU's and ReLU6's slope is 1 at the same points of the input and of the output
            if (!qualifies(fn) || "off".equals(System.getProperty(DISABLE)) || input == null || !Vectors.takes(input) || !Vectors.takes(epsilon)
                    || !java.util.Arrays.equals(input.shape(), epsilon.shape())) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            INDArray delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                    'c');
            ActivationKernels.reluBackward(input.data().asNio(), input.offset(), epsilon.data().asNio(),
                    epsilon.offset(), delta.data().asNio(), delta.offset(), input.length(), fn instanceof FastRelu6);
            return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(delta));
        }
    }
}
