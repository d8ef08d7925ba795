package org.cnnzoo.cli;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.weights.WeightsEntry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** Settings every training command shares: input normalisation, batch size, seed and the feature cache. */
final class RunOptions {

    @Option(names = "--normalization", description = "imagenet, unit or symmetric (default: what the --weights entry"
            + " expects, else imagenet).")
    String normalization;

    @Option(names = "--batch", description = "Batch size (default 32).")
    int batch = 32;

    @Option(names = "--seed", description = "Seed: the same seed gives the same result on the CPU (default 42).")
    long seed = 42;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache (default $CNNZOO_HOME/cache or ~/.cnnzoo/cache).")
    Path cache;

    /** The user's choice, else the preprocessing the weights were trained with, else ImageNet statistics. */
    Normalization normalization(WeightsEntry.Preprocessing weights) {
        if (normalization != null) {
            return normalization(normalization);
        }
        return weights != null ? of(weights) : Normalization.IMAGENET;
    }

    /** The normalisation a weights entry expects. */
    static Normalization of(WeightsEntry.Preprocessing p) {
        return new Normalization("weights", p.mean(), p.std());
    }

    Path cache() {
        return cache != null ? cache : CnnzooHome.cache();
    }

    static Normalization normalization(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "imagenet" -> Normalization.IMAGENET;
            case "unit" -> Normalization.UNIT;
            case "symmetric" -> Normalization.SYMMETRIC;
            default -> throw new IllegalArgumentException("--normalization is imagenet, unit or symmetric, not '" + name + "'");
        };
    }
}
