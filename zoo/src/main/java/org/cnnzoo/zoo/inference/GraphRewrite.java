package org.cnnzoo.zoo.inference;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A copy of a trained graph's configuration and parameters that passes may rewrite vertex by vertex (switch a
 * layer's data format, fold one layer into another, remove a vertex) before {@link #build} makes a new graph of
 * it. The source graph is never touched. Frozen wrappers are unwrapped: the result is only for inference.
 */
final class GraphRewrite {
    final ComputationGraphConfiguration conf;
    /** Per layer vertex, its parameters by DL4J's keys ("W", "b", "gamma", ...), as copies. */
    final Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
    /** Vertices whose outputs the caller reads: a pass must leave their activations as they are. */
    final Set<String> kept;

    GraphRewrite(ComputationGraph graph, Set<String> kept) {
        this.conf = graph.getConfiguration().clone();
        this.kept = Set.copyOf(kept);
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                NeuralNetConfiguration layerConf = lv.getLayerConf();
                layerConf.setLayer(unfrozen(layerConf.getLayer()));
                Map<String, INDArray> table = new LinkedHashMap<>();
                graph.getLayer(e.getKey()).paramTable().forEach((k, v) -> table.put(k, v.dup()));
                params.put(e.getKey(), table);
            }
        }
    }

    private static Layer unfrozen(Layer layer) {
        if (layer instanceof FrozenLayer f) {
            return unfrozen(f.getLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop f) {
            return unfrozen(f.getUnderlying());
        }
        return layer;
    }

    /** The layer configuration of a vertex, or null when it is not a layer. */
    Layer layer(String name) {
        return conf.getVertices().get(name) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    LayerVertex layerVertex(String name) {
        return conf.getVertices().get(name) instanceof LayerVertex lv ? lv : null;
    }

    List<String> inputs(String name) {
        return conf.getVertexInputs().getOrDefault(name, List.of());
    }

    /** The vertices that read a vertex's output. */
    List<String> consumers(String name) {
        List<String> out = new ArrayList<>();
        conf.getVertexInputs().forEach((v, ins) -> {
            if (ins.contains(name)) {
                out.add(v);
            }
        });
        return out;
    }

    boolean isOutput(String name) {
        return conf.getNetworkOutputs().contains(name);
    }

    /** Whether a vertex may disappear or change what it computes. */
    boolean changeable(String name) {
        return !kept.contains(name) && !isOutput(name);
    }

    /** Removes a vertex with one input; its readers read that input instead. */
    void bypass(String name) {
        List<String> in = inputs(name);
        if (in.size() != 1) {
            throw new IllegalStateException(name + " has " + in.size() + " inputs; only a single-input vertex can be bypassed");
        }
        String source = in.get(0);
        conf.getVertices().remove(name);
        conf.getVertexInputs().remove(name);
        params.remove(name);
        for (List<String> ins : conf.getVertexInputs().values()) {
            ins.replaceAll(v -> v.equals(name) ? source : v);
        }
    }

    /** A new graph of the rewritten configuration holding the rewritten parameters. */
    ComputationGraph build() {
        ComputationGraph graph = new ComputationGraph(conf);
        long count = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                count += lv.getLayerConf().getLayer().initializer().numParams(lv.getLayerConf());
            }
        }
        // uninitialised: every parameter is assigned below, so a random initialisation would be wasted work
        graph.init(count == 0 ? null : Nd4j.createUninitialized(conf.getDataType(), 1, count), false);
        params.forEach((name, table) -> {
            var layer = graph.getLayer(name);
            Map<String, INDArray> target = layer.paramTable();
            if (!target.keySet().equals(table.keySet())) {
                throw new IllegalStateException(name + ": rewritten parameters " + table.keySet()
                        + " do not match the layer's " + target.keySet());
            }
            table.forEach(layer::setParam);
        });
        return graph;
    }
}
