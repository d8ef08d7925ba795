package org.cnnzoo.transfer.search;

import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

import java.util.List;
import java.util.stream.Collectors;

/** The values one parameter takes in a search, and the Arbiter space that draws them. */
public sealed interface Dimension {

    /** A new Arbiter leaf space (a fresh object each call: Arbiter numbers leaves by identity). */
    ParameterSpace<?> toArbiter();

    /** Whether candidates differ in this parameter. */
    boolean varies();

    /** The spec text of this dimension, e.g. {@code 1e-4..1e-1:log}. */
    String spec();

    /** How many values grid search tries, with {@code points} points per continuous range. */
    long gridPoints(int points);

    /** Always the same value. */
    record Fixed(Object value) implements Dimension {
        @Override
        public ParameterSpace<?> toArbiter() {
            return new FixedValue<>(value);
        }

        @Override
        public boolean varies() {
            return false;
        }

        @Override
        public long gridPoints(int points) {
            return 1;
        }

        @Override
        public String spec() {
            return String.valueOf(value);
        }
    }

    /** One of a list, each equally likely; grid search tries each. */
    record Choice(List<Object> values) implements Dimension {
        @Override
        public ParameterSpace<?> toArbiter() {
            return new DiscreteParameterSpace<>(values);
        }

        @Override
        public long gridPoints(int points) {
            return values.size();
        }

        @Override
        public boolean varies() {
            return true;
        }

        @Override
        public String spec() {
            return values.stream().map(String::valueOf).collect(Collectors.joining("|"));
        }
    }

    /**
     * Between {@code min} and {@code max}: uniform, or uniform in the logarithm ({@code log}) for scales such as
     * learning rates; whole numbers for integer parameters. Grid search takes evenly spaced points.
     */
    record Range(double min, double max, boolean log, boolean integer) implements Dimension {
        @Override
        public ParameterSpace<?> toArbiter() {
            if (integer) {
                return new IntegerParameterSpace((int) min, (int) max);
            }
            return log ? new ContinuousParameterSpace(new LogUniformDistribution(min, max))
                    : new ContinuousParameterSpace(min, max);
        }

        @Override
        public long gridPoints(int points) {
            return integer ? Math.min(points, (long) (max - min) + 1) : points;
        }

        @Override
        public boolean varies() {
            return true;
        }

        @Override
        public String spec() {
            return Parameter.format(min) + ".." + Parameter.format(max) + (log ? ":log" : "");
        }
    }
}
