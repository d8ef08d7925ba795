package org.cnnzoo.cli;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code cnnzoo summary NAME}: every vertex with its output shape, parameters and multiply-adds. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Show a network vertex by vertex: output shape, parameters, multiply-adds, and totals.")
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|RUN", description = "Network name, as listed by 'cnnzoo models' (detectors"
            + " too; conv1d and conv3d: the course's 1D and 3D examples), or a run folder written by 'cnnzoo transfer' or 'cnnzoo train-detector'.")
    String name;

    @Option(names = "--input", paramLabel = "H,W,C", converter = Values.Input.class,
            description = "Input height, width and channels (default: the network's).")
    org.cnnzoo.zoo.InputShape input;

    @Option(names = "--classes", converter = Values.Positive.class, paramLabel = "N", description = "Number of output classes (default: the network's).")
    Integer classes;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        java.nio.file.Path folder = java.nio.file.Path.of(name);
        if (org.cnnzoo.detection.yolo.DetectorRuns.isDetector(folder)) {
            if (input != null || classes != null) {
                throw new IllegalArgumentException(name + " is a detector's run folder: its input and classes are the"
                        + " ones it was trained with; leave out --input and --classes");
            }
            var detector = org.cnnzoo.detection.yolo.DetectorRuns.load(folder);
            var in = detector.spec().input();
            ModelSummary summary = Summarizer.of(name, detector.graph().getConfiguration(),
                    org.deeplearning4j.nn.conf.inputs.InputType.convolutional(in.height(), in.width(), in.channels()));
            spec.commandLine().getOut().print(json ? Json.write(summary) + System.lineSeparator() : summary.toTable());
            return 0;
        }
        if (java.nio.file.Files.isDirectory(folder)) {
            if (input != null || classes != null) {
                throw new IllegalArgumentException(name + " is a run folder: its input and classes are the ones it was"
                        + " trained with; leave out --input and --classes");
            }
            var run = Loading.load(name, null, null, null, 42, spec.commandLine().getErr());
            ModelSummary summary = Summarizer.of(name, run.graph().getConfiguration(),
                    org.deeplearning4j.nn.conf.inputs.InputType.convolutional(run.input().height(), run.input().width(),
                            run.input().channels()));
            spec.commandLine().getOut().print(json ? Json.write(summary) + System.lineSeparator() : summary.toTable());
            return 0;
        }
        if (name.equals("conv1d") || name.equals("conv3d")) {
            if (input != null) {
                throw new IllegalArgumentException(name + " is summarised at its example input (conv1d: sequences of 28"
                        + " steps x 28 values; conv3d: clips of 6 frames of 28x28); leave out --input");
            }
            int k = classes != null ? classes : name.equals("conv1d") ? 10 : 4;
            ModelSummary summary = name.equals("conv1d")
                    ? Summarizer.of(name, org.cnnzoo.zoo.models.Conv1dNet.build(28, 28, k, 42,
                            new org.nd4j.linalg.learning.config.Adam(1e-3)),
                            org.deeplearning4j.nn.conf.inputs.InputType.recurrent(28, 28))
                    : Summarizer.of(name, org.cnnzoo.zoo.models.Conv3dNet.build(6, 28, 28, 1, k, 42,
                            new org.nd4j.linalg.learning.config.Adam(1e-3)),
                            org.deeplearning4j.nn.conf.inputs.InputType.convolutional3D(
                                    org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NCDHW, 6, 28, 28, 1));
            spec.commandLine().getOut().print(json ? Json.write(summary) + System.lineSeparator() : summary.toTable());
            return 0;
        }
        Architecture<?> arch = !Zoo.has(name) && org.cnnzoo.detection.models.Detectors.has(name)
                ? org.cnnzoo.detection.models.Detectors.get(name).create() : Zoo.get(name).create();
        if (input != null) {
            arch.optInput(input.height(), input.width(), input.channels());
        }
        if (classes != null) {
            arch.optClasses(classes);
        }
        ModelSummary summary = Summarizer.of(arch);
        spec.commandLine().getOut().print(json ? Json.write(summary) + System.lineSeparator() : summary.toTable());
        return 0;
    }
}
