package org.cnnzoo.transfer.search;

import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Arbiter parameter space over named leaves whose candidates are maps from name to value. Arbiter's own network
 * spaces describe whole networks; a head on a cut of a graph (where 0 hidden units means a linear head) is better
 * built by the project itself from plain values, which this space draws.
 */
public final class NamedSpace implements ParameterSpace<Map<String, Object>> {
    private final Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();

    NamedSpace(Map<String, Dimension> dimensions) {
        dimensions.forEach((name, d) -> leaves.put(name, d.toArbiter()));
    }

    @Override
    public Map<String, Object> getValue(double[] parameterValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        leaves.forEach((name, leaf) -> values.put(name, leaf.getValue(parameterValues)));
        return values;
    }

    @Override
    public int numParameters() {
        return leaves.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> all = new ArrayList<>();
        for (ParameterSpace<?> leaf : leaves.values()) {
            all.addAll(leaf.collectLeaves());
        }
        return all;
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return new LinkedHashMap<>(leaves);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("NamedSpace is not a leaf; Arbiter numbers its leaves");
    }
}
