package org.cnnzoo.cli;

import org.cnnzoo.datasets.Splits;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.augmentation.Pipeline;
import org.cnnzoo.augmentation.Preview;
import org.cnnzoo.augmentation.Spec;
import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Part;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cnnzoo augment}: a preview grid of an augmentation pipeline on real images. */
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = "Preview an augmentation pipeline: originals and augmented versions, each captioned with the "
                + "operations applied. Ops: flip:P vflip:P crop:MIN-MAX rotate:DEG[:fill] shear:S[:fill] color:S "
                + "pca:S jitter:S hue:H warp:S, each optionally @P.")
final class AugmentCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    CommandSpec spec;

    static final class Input {
        @Option(names = "--data", paramLabel = "SOURCE", description = "Sample images from: " + DataSources.HELP + ".")
        String data;

        @Option(names = "--image", paramLabel = "FILE", description = "Augment this one image.")
        Path image;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--ops", required = true, paramLabel = "SPEC",
            description = "The pipeline, e.g. flip:0.5,crop:0.08-1.0,rotate:15,shear:0.2,color:0.1,warp:0.1")
    String ops;

    @Option(names = "--preview", required = true, paramLabel = "OUT.png", description = "Where to write the picture.")
    Path preview;

    @Option(names = "--seed", description = "Seed (default 42): the same seed draws the same picture.")
    long seed = 42;

    @Option(names = "--count", converter = Values.Positive.class, paramLabel = "N", description = "Augmented versions per image (default 4).")
    int count = 4;

    @Option(names = "--samples", converter = Values.Positive.class, paramLabel = "K", description = "Images taken from --data, spread over the classes (default 4).")
    int samples = 4;

    @Override
    public Integer call() throws Exception {
        Pipeline pipeline = Spec.parse(ops);
        if (count < 1 || count > 16 || samples < 1 || samples > 32) {
            throw new IllegalArgumentException("--count must be 1-16 and --samples 1-32");
        }
        if (!preview.getFileName().toString().toLowerCase().endsWith(".png")) {
            throw new IllegalArgumentException("--preview must name a .png file, got " + preview);
        }
        List<Mat> images = input.image != null ? List.of(single(input.image)) : sample(input.data);
        Preview.write(Preview.render(Preview.rows(images, pipeline, count, seed)), preview);
        spec.commandLine().getOut().printf("wrote %s: %d image(s) x (original + %d augmented); ops %s; seed %d%n",
                preview, images.size(), count, pipeline.spec(), seed);
        return 0;
    }

    private static Mat single(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--image " + file + " is not a file");
        }
        return ImageDecoder.read(file, 3);
    }

    /** Images spread over the classes: class 0's first, class 1's first, ..., then each class's second. */
    private List<Mat> sample(String source) throws IOException {
        ImageSource data = DataSources.open(source, Part.TRAIN, true);
        if (data instanceof ImageFolder folder && folder.warning() != null) {
            spec.commandLine().getErr().println("warning: " + folder.warning());
        }
        List<Mat> images = new ArrayList<>();
        for (int index : Splits.roundRobin(data, samples)) {
            images.add(data.decode(index, 3));
        }
        return images;
    }
}
