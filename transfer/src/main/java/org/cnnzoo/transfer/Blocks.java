package org.cnnzoo.transfer;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network's blocks, read from its torchvision-style vertex names: {@code layer3.1.conv2} belongs to block
 * {@code layer3}, {@code features.4.0.block.1.0} to {@code features.4}, {@code Mixed_6b.branch1x1.conv} to
 * {@code Mixed_6b}, {@code conv1} to {@code conv1}. Freezing and fine-tuning count in these units.
 */
public final class Blocks {
    /** Containers whose children are the blocks (torchvision's Sequentials, timm's stages). */
    private static final Set<String> CONTAINERS = Set.of("features", "blocks", "classifier");

    private Blocks() {
    }

    public static String blockOf(String vertex) {
        String[] parts = vertex.split("\\.");
        if (parts.length > 1 && CONTAINERS.contains(parts[0])) {
            return parts[0] + "." + parts[1];
        }
        return parts[0];
    }

    /** Blocks in the order their vertices are computed, each with its last vertex; the input is left out. */
    public static Map<String, String> lastVertexByBlock(ComputationGraph graph) {
        Map<String, String> last = new LinkedHashMap<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[index];
            if (v.isInputVertex()) {
                continue;
            }
            String block = blockOf(v.getVertexName());
            last.remove(block);                  // re-insert so the order is that of each block's last vertex
            last.put(block, v.getVertexName());
        }
        return last;
    }

    public static List<String> names(ComputationGraph graph) {
        return new ArrayList<>(lastVertexByBlock(graph).keySet());
    }
}
