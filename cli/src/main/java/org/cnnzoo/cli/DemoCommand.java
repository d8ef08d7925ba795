package org.cnnzoo.cli;

import org.cnnzoo.common.Home;
import org.cnnzoo.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cnnzoo demo}: transfer learning against training from scratch, on the embedded data, offline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a backbone on five Fashion-MNIST classes, transfer it to the other five with 10 and 50"
                + " labels per class, compare with training from scratch; prints a table and writes a report folder.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Report folder (default $CNNZOO_HOME/demo, i.e. ~/.cnnzoo/demo: outside any"
            + " source tree).")
    Path out;

    @Option(names = "--quick", description = "A much shorter run (one backbone epoch, 10 labels only), for a smoke test.")
    boolean quick;

    @Option(names = "--seed", description = "Seed (default 42).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        if (this.out == null) {
            this.out = Home.dir().resolve("demo");
        }
        ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getErr());
        List<Demo.Row> rows = Demo.run(this.out, quick ? Demo.Budget.QUICK : Demo.Budget.FULL, seed, progress);
        progress.finish();
        out.println();
        out.print(Demo.table(rows));
        out.printf("%ntotal %.0f s; report: %s (demo.json and one run folder per model)%n",
                (System.nanoTime() - t0) / 1e9, this.out);
        return 0;
    }
}
