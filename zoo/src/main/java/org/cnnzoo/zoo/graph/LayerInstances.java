package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** What every layer configuration's instantiate does with the layer it creates, as DL4J's own do. */
final class LayerInstances {
    private LayerInstances() {
    }

    static <T extends Layer> T attach(T layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                      int index, INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
