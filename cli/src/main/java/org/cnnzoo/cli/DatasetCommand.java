package org.cnnzoo.cli;

import org.cnnzoo.datasets.ClassBalance;
import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Splits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnnzoo dataset SOURCE}: what a dataset holds, its class balance, unusable files, splits and fingerprint. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Inspect a dataset: classes and their balance, unusable files, a stratified split, fingerprint.")
final class DatasetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The data: " + DataSources.HELP + ".")
    String source;

    @Option(names = "--part", paramLabel = "train|test", description = "Published part, for Fashion-MNIST, MNIST, CIFAR-10 (default train).")
    String part = "train";

    @Option(names = "--split", paramLabel = "TRAIN,VAL,TEST", description = "Show the split transfer makes in these ratios, e.g. 0.8,0.1,0.1: the test part held out by file path, the rest stratified with the seed.")
    String split;

    @Option(names = "--seed", description = "Seed of the split (default 42).")
    long seed = 42;

    @Option(names = "--offline", description = "Never download (Fashion-MNIST).")
    boolean offline;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ImageSource data;
        data = DataSources.open(source, part(part), offline);
        out.printf("%s: %,d images in %d classes%n", source, data.size(), data.classes().size());
        out.println("fingerprint " + data.fingerprint());
        out.println();
        out.println(ClassBalance.of(data).report());
        if (data instanceof ImageFolder folder && folder.warning() != null) {
            spec.commandLine().getErr().println("warning: " + folder.warning());
        }
        if (split != null) {
            Splits.Split parts = DataPlan.divide(data, DataPlan.Ratios.parse(split), seed);
            for (String[] p : new String[][]{{"train", null}, {"validation", null}, {"test", null}}) {
                ImageSource s = switch (p[0]) {
                    case "train" -> parts.train();
                    case "validation" -> parts.validation();
                    default -> parts.test();
                };
                out.println();
                out.println(p[0] + ":");
                out.println(ClassBalance.of(s).report());
            }
        }
        return 0;
    }

    static Part part(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "train" -> Part.TRAIN;
            case "test" -> Part.TEST;
            default -> throw new IllegalArgumentException("--part is train or test, not '" + text + "'");
        };
    }
}
