package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    }
}
