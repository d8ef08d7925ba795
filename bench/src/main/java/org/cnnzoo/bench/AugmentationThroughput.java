package org.cnnzoo.bench;

import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.augmentation.Pipeline;
import org.cnnzoo.augmentation.Spec;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.datavec.image.loader.NativeImageLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Decode + augment throughput at 224x224x3, per thread and with all threads, through the same ImageIterator the
 * training uses; DataVec's NativeImageLoader (decode + resize, one thread) is the peer measured in the same run.
 * Each figure is the best of three timed passes after a warm-up pass.
 *
 * <p>{@code bench/augmentation.sh} runs it on JPEG photos from Debian packages.
 */
public final class AugmentationThroughput {
    static final String SPEC = "flip:0.5,crop:0.08-1.0,rotate:15,shear:0.2,color:0.1,warp:0.1";
    static final int SIDE = 224;

    private AugmentationThroughput() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> photos = new ArrayList<>();
        for (String a : args) {
            try (Stream<Path> s = Files.walk(Path.of(a))) {
                s.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().forEach(photos::add);
            }
        }
        List<Path> usable = new ArrayList<>();
        for (Path p : photos) {
            try {
                ImageDecoder.read(p, 3);
                usable.add(p);
            } catch (IOException e) {
                System.err.println("skipping " + p + ": " + e.getMessage());
            }
        }
        if (usable.isEmpty()) {
            System.err.println("usage: AugmentationThroughput DIR_OR_FILE... (JPEG photos)");
            System.exit(2);
        }
        int images = 256;
        ImageSource source = new Photos(usable, images);
        int cores = Runtime.getRuntime().availableProcessors();
        Pipeline pipeline = Spec.parse(SPEC);
        System.out.printf("%d JPEG photos (%s), %d images per pass, %dx%d output, %d cores, OMP_WAIT_POLICY=%s%n",
                usable.size(), sizes(usable), images, SIDE, SIDE, cores, System.getenv("OMP_WAIT_POLICY"));
        System.out.printf("augmentation: %s%n%n", SPEC);
        System.out.printf("%-44s %8s %14s%n", "pipeline", "threads", "images/s");
        double peer = best(() -> dataVecPass(usable, images));
        System.out.printf("%-44s %8d %14.1f%n", "DataVec NativeImageLoader decode+resize", 1, images / peer);
        for (int threads : cores > 1 ? new int[]{1, cores} : new int[]{1}) {
            double plain = best(() -> iteratorPass(source, threads, null));
            System.out.printf("%-44s %8d %14.1f%n", "cnnzoo decode+fit+normalise", threads, images / plain);
            double augmented = best(() -> iteratorPass(source, threads, pipeline));
            System.out.printf("%-44s %8d %14.1f   (%.1f per thread)%n", "cnnzoo decode+augment+fit+normalise", threads,
                    images / augmented, images / augmented / threads);
        }
    }

    interface Pass {
        void run() throws Exception;
    }

    /** Seconds of the fastest of three timed passes after one warm-up pass. */
    static double best(Pass pass) throws Exception {
        pass.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            pass.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    static void iteratorPass(ImageSource source, int threads, Pipeline pipeline) {
        ImageIterator it = ImageIterator.builder(source).batchSize(32).input(SIDE, SIDE, 3)
                .normalization(Normalization.IMAGENET).augmenter(pipeline).threads(threads).seed(1).build();
        long n = 0;
        while (it.hasNext()) {
            n += it.next().numExamples();
        }
        if (n != source.size()) {
            throw new IllegalStateException("lost images: " + n);
        }
    }

    static void dataVecPass(List<Path> photos, int images) throws IOException {
        NativeImageLoader loader = new NativeImageLoader(SIDE, SIDE, 3);
        for (int i = 0; i < images; i++) {
            loader.asMatrix(photos.get(i % photos.size()).toFile()).close();
        }
    }

    static String sizes(List<Path> photos) throws IOException {
        List<String> s = new ArrayList<>();
        for (Path p : photos) {
            Mat m = ImageDecoder.read(p, 3);
            s.add(m.cols() + "x" + m.rows());
        }
        return String.join(", ", s);
    }

    /** The photos repeated to n images, alternately labelled 0 and 1. */
    record Photos(List<Path> files, int n) implements ImageSource {
        @Override
        public int size() {
            return n;
        }

        @Override
        public int label(int index) {
            return index % 2;
        }

        @Override
        public List<String> classes() {
            return List.of("a", "b");
        }

        @Override
        public Mat decode(int index, int channels) throws IOException {
            return ImageDecoder.read(files.get(index % files.size()), channels);
        }

        @Override
        public Mat decode(int index, int channels, int minSide) throws IOException {
            return ImageDecoder.read(files.get(index % files.size()), channels, minSide);
        }

        @Override
        public String describe(int index) {
            return files.get(index % files.size()).toString();
        }

        @Override
        public String fingerprint() {
            return "bench";
        }
    }
}
