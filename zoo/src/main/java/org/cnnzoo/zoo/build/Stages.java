package org.cnnzoo.zoo.build;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network's stages (blocks) in order, each with its vertices: what freezing and fine-tuning count in. Zoo
 * networks get them from their builder, the way the paper's table groups the layers (ResNet: stem, layer1..layer4,
 * avgpool, fc), like timm's {@code group_matcher}; imported networks, which have no builder, get
 * {@link #byNames(ComputationGraph)}.
 */
public record Stages(List<Stage> list) {

    /** One stage and its vertices in the order they were added. */
    public record Stage(String name, List<String> vertices) {
        public Stage {
            vertices = List.copyOf(vertices);
        }
    }

    /** Containers whose children are the stages when names are all there is (torchvision's Sequentials, timm's). */
    private static final Set<String> CONTAINERS = Set.of("features", "blocks", "classifier");

    public Stages {
        list = List.copyOf(list);
    }

    /** Stages from a vertex-to-stage assignment, in first-appearance order. */
    public static Stages of(Map<String, String> stageOfVertex) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        stageOfVertex.forEach((vertex, stage) -> grouped.computeIfAbsent(stage, s -> new ArrayList<>()).add(vertex));
        List<Stage> stages = new ArrayList<>();
        grouped.forEach((name, vertices) -> stages.add(new Stage(name, vertices)));
        return new Stages(stages);
    }

    /**
     * For networks without a builder (Keras, TF.js imports): stages read from torchvision-style names, where
     * {@code layer3.1.conv2} belongs to {@code layer3} and {@code features.4.0.block.1.0} to {@code features.4}.
     */
    public static Stages byNames(ComputationGraph graph) {
        Map<String, String> assignment = new LinkedHashMap<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[index];
            if (!v.isInputVertex()) {
                assignment.put(v.getVertexName(), nameStage(v.getVertexName()));
            }
        }
        return of(assignment);
    }

    private static String nameStage(String vertex) {
        String[] parts = vertex.split("\\.");
        if (parts.length > 1 && CONTAINERS.contains(parts[0])) {
            return parts[0] + "." + parts[1];
        }
        return parts[0];
    }

    /**
     * These stages for a graph built on the network they describe: vertices the graph has beyond them (a new
     * head) are added as stages by name; vertices it no longer has are dropped.
     */
    public Stages on(ComputationGraph graph) {
        Map<String, String> assignment = new LinkedHashMap<>();
        Map<String, String> known = new LinkedHashMap<>();
        for (Stage s : list) {
            s.vertices().forEach(v -> known.put(v, s.name()));
        }
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[index];
            if (!v.isInputVertex()) {
                String name = v.getVertexName();
                assignment.put(name, known.getOrDefault(name, nameStage(name)));
            }
        }
        return of(assignment);
    }

    public List<String> names() {
        return list.stream().map(Stage::name).toList();
    }

    /** The stage a vertex belongs to, or null. */
    public String stageOf(String vertex) {
        for (Stage s : list) {
            if (s.vertices().contains(vertex)) {
                return s.name();
            }
        }
        return null;
    }

    /** Each stage with the vertex computed last in it, in the order the stages end, for the given graph. */
    public Map<String, String> lastVertexByStage(ComputationGraph graph) {
        Map<String, String> last = new LinkedHashMap<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[index];
            String stage = v.isInputVertex() ? null : stageOf(v.getVertexName());
            if (stage != null) {
                last.remove(stage);                  // re-insert so the order is that of each stage's last vertex
                last.put(stage, v.getVertexName());
            }
        }
        return last;
    }
}
