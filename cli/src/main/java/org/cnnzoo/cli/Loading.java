package org.cnnzoo.cli;

import org.cnnzoo.common.Home;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.load.LoadedModel;
import org.cnnzoo.zoo.load.ModelLoader;
import org.cnnzoo.zoo.load.ModelRequest;
import org.cnnzoo.zoo.weights.Downloader;
import org.cnnzoo.zoo.weights.WeightStore;

import java.io.IOException;
import java.io.PrintWriter;

/** The command line's settings for the library's loader: the store under $CNNZOO_HOME, progress bars, messages. */
final class Loading {
    private Loading() {
    }

    static WeightStore store() {
        return new WeightStore(Home.weights());
    }

    /** Downloads from $CNNZOO_MIRROR when set, with a progress bar; warnings go to {@code err}. */
    static WeightStore.Fetching fetching(String label, PrintWriter err) {
        return fetching(label, err, false);
    }

    /** The same, refusing to download when {@code offline}. */
    static WeightStore.Fetching fetching(String label, PrintWriter err, boolean offline) {
        return new WeightStore.Fetching(System.getenv("CNNZOO_MIRROR"), offline, bar(label), err::println);
    }

    /** Loads a model and weights reference, printing what loading chose or let pass. */
    static LoadedModel load(String model, String weights, InputShape input, Integer classes, long seed,
                            PrintWriter err) throws IOException {
        return load(model, weights, input, classes, seed, err, false);
    }

    /** The same, never downloading when {@code offline}. */
    static LoadedModel load(String model, String weights, InputShape input, Integer classes, long seed,
                            PrintWriter err, boolean offline) throws IOException {
        ModelRequest request = new ModelRequest(model, weights, input, classes, seed, store(),
                fetching(weights == null ? model : weights, err, offline));
        LoadedModel loaded = ModelLoader.load(request);
        loaded.notes().forEach(n -> err.println(loaded.name() + ": " + n));
        return loaded;
    }

    static Downloader.Listener bar(String name) {
        ProgressBar[] bar = new ProgressBar[1];
        return (done, total) -> {
            if (bar[0] == null) {
                bar[0] = new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(total, 1))
                        .setUnit(" MB", 1 << 20).setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
            }
            bar[0].stepTo(done);
            if (done >= total && total > 0) {
                bar[0].close();
            }
        };
    }
}
