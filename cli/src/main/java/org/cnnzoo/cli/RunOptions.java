package org.cnnzoo.cli;

import org.cnnzoo.common.Home;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.weights.WeightsEntry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** Settings every training command shares: input normalisation, batch size, seed and the feature cache. */
final class RunOptions {

    @Option(names = "--normalization", description = "imagenet, unit or symmetric (default: what the base run or the"
            + " --weights entry records, else imagenet).")
    String normalization;

    @Option(names = "--batch", converter = Values.Positive.class, description = "Batch size (default 32).")
    int batch = 32;

    @Option(names = "--seed", description = "Seed: the same seed gives the same result on the CPU (default 42).")
    long seed = 42;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache (default $CNNZOO_HOME/cache or ~/.cnnzoo/cache).")
    Path cache;

    /**
     * The user's choice, else what the base records (a run's normalisation, a weights entry's), else ImageNet
     * statistics; says which on {@code err}, and says so when the user's choice overrides a recorded one.
     */
    Normalization normalization(Normalization recorded, String recordedBy, java.io.PrintWriter err) {
        if (normalization != null) {
            Normalization chosen = normalization(normalization);
            if (recorded != null && !sameValues(chosen, recorded)) {
                err.printf("normalisation %s from --normalization, overriding %s recorded by %s%n", describe(chosen),
                        describe(recorded), recordedBy);
            }
            return chosen;
        }
        if (recorded != null) {
            err.printf("normalisation from %s: %s%n", recordedBy, describe(recorded));
            return recorded;
        }
        err.println("normalisation: imagenet (nothing records how the base's training images were scaled; give"
                + " --normalization if it was otherwise)");
        return Normalization.IMAGENET;
    }

    private static boolean sameValues(Normalization a, Normalization b) {
        return java.util.Arrays.equals(a.mean(), b.mean()) && java.util.Arrays.equals(a.std(), b.std());
    }

    static String describe(Normalization n) {
        return n.name() + " (mean " + java.util.Arrays.toString(n.mean()) + ", std " + java.util.Arrays.toString(n.std()) + ")";
    }

    /** The normalisation a weights entry expects. */
    static Normalization of(WeightsEntry.Preprocessing p) {
        return new Normalization("weights", p.mean(), p.std());
    }

    Path cache() {
        return cache != null ? cache : Home.cache();
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
