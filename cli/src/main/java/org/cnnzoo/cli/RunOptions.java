package org.cnnzoo.cli;

import org.cnnzoo.common.Home;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.transfer.InputSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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

    /** The normalisation by the library's rule ({@link InputSpec#normalization}), saying why on {@code err}. */
    Normalization normalization(Normalization recorded, String recordedBy, java.io.PrintWriter err) {
        InputSpec.Chosen chosen = InputSpec.normalization(normalization == null ? null : Normalization.named(normalization),
                recorded, recordedBy);
        if (chosen.why() != null) {
            err.println(chosen.why());
        }
        return chosen.normalization();
    }

    Path cache() {
        return cache != null ? cache : Home.cache();
    }
}
