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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Decode + augment throughput at 224x224x3, per thread and with all threads, through the same ImageIterator the
 * training uses; DataVec's NativeImageLoader (decode + resize, one thread) is the peer measured in the same run.
 * Each figure is the best of three timed passes after a warm-up pass.
 *
 * <p>{@code cnnzoo bench --suite augmentation} runs it, by default on opencv-doc's photographs.
 */
public final class AugmentationThroughput {
    static final String SPEC = "flip:0.5,crop:0.08-1.0,rotate:15,shear:0.2,color:0.1,warp:0.1";
    static final int SIDE = 224;

    private AugmentationThroughput() {
    }

    /** The real photographs among opencv-doc's example images (Debian's opencv-doc package). */
    public static final Path OPENCV_DOC = Path.of("/usr/share/doc/opencv-doc/examples/data");
    static final List<String> OPENCV_DOC_PHOTOS = List.of("baboon", "fruits", "lena", "butterfly", "squirrel_cls",
            "starry_night", "orange", "apple", "building", "home", "messi5", "HappyFish");

    /** {@code [--json IMAGES PASSES] [PHOTOS...]}: a table, or one JSON object with --json. */
    public static void main(String[] args) throws Exception {
        boolean json = args.length > 0 && args[0].equals("--json");
        int images = json ? Integer.parseInt(args[1]) : 256;
        int passes = json ? Integer.parseInt(args[2]) : 3;
        List<Path> photos = photos(Stream.of(args).skip(json ? 3 : 0).map(Path::of).toList());
        Map<String, Object> m = measure(photos, images, passes);
        System.out.println(json ? new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m) : table(m));
        System.exit(0);
    }

    /**
     * The JPEG files under the given files and folders, or opencv-doc's photographs when none are given; each
     * must decode. @throws IllegalArgumentException naming what is missing or unreadable
     */
    public static List<Path> photos(List<Path> given) throws IOException {
        List<Path> photos = new ArrayList<>();
        if (given.isEmpty()) {
            for (String name : OPENCV_DOC_PHOTOS) {
                Path p = OPENCV_DOC.resolve(name + ".jpg");
                if (Files.isRegularFile(p)) {
                    photos.add(p);
                }
            }
            if (photos.isEmpty()) {
                throw new IllegalArgumentException("no photos in " + OPENCV_DOC + ": install Debian's opencv-doc or"
                        + " give JPEG files or folders with --photos");
            }
        }
        for (Path a : given) {
            if (!Files.exists(a)) {
                throw new IllegalArgumentException("photos: " + a + " does not exist");
            }
            try (Stream<Path> s = Files.walk(a)) {
                s.filter(p -> p.toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.jpe?g")).sorted()
                        .forEach(photos::add);
            }
        }
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("no JPEG files under " + given);
        }
        for (Path p : photos) {
            ImageDecoder.read(p, 3);                    // names the file that does not decode
        }
        return photos;
    }

    /**
     * Images/s of DataVec's loader and of the project's iterator with and without augmentation, on one thread and
     * on all cores, over {@code images} images cycled from the photos; each the best of {@code passes} timed passes.
     */
    public static Map<String, Object> measure(List<Path> photos, int images, int passes) throws Exception {
        ImageSource source = new Photos(photos, images);
        int cores = Runtime.getRuntime().availableProcessors();
        Pipeline pipeline = Spec.parse(SPEC);
        List<Map<String, Object>> rows = new ArrayList<>();
        double peer = best(() -> dataVecPass(photos, images), passes);
        rows.add(row("DataVec NativeImageLoader decode+resize (peer)", 1, images / peer));
        for (int threads : cores > 1 ? new int[]{1, cores} : new int[]{1}) {
            double plain = best(() -> iteratorPass(source, threads, null), passes);
            rows.add(row("cnnzoo decode+fit+normalise", threads, images / plain));
            double augmented = best(() -> iteratorPass(source, threads, pipeline), passes);
            rows.add(row("cnnzoo decode+augment+fit+normalise", threads, images / augmented));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("photos", photos.size());
        out.put("photo_sizes", sizes(photos));
        out.put("images_per_pass", images);
        out.put("output", SIDE + "x" + SIDE + "x3");
        out.put("augmentation", SPEC);
        out.put("rows", rows);
        return out;
    }

    private static Map<String, Object> row(String pipeline, int threads, double imagesPerSecond) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("pipeline", pipeline);
        r.put("threads", threads);
        r.put("images_per_s", imagesPerSecond);
        return r;
    }

    /** The measurements as lines of text. */
    @SuppressWarnings("unchecked")
    public static String table(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("augmentation: %s JPEG photos (%s), %s images per pass, %s output, %s%n", m.get("photos"),
                m.get("photo_sizes"), m.get("images_per_pass"), m.get("output"), m.get("augmentation")));
        b.append(String.format("%-48s %8s %12s %12s%n", "pipeline", "threads", "images/s", "per thread"));
        for (Map<String, Object> r : (List<Map<String, Object>>) m.get("rows")) {
            int threads = ((Number) r.get("threads")).intValue();
            double rate = ((Number) r.get("images_per_s")).doubleValue();
            b.append(String.format("%-48s %8d %12.1f %12.1f%n", r.get("pipeline"), threads, rate, rate / threads));
        }
        return b.toString();
    }

    interface Pass {
        void run() throws Exception;
    }

    /** Seconds of the fastest of three timed passes after one warm-up pass. */
    static double best(Pass pass) throws Exception {
        return best(pass, 3);
    }

    static double best(Pass pass, int passes) throws Exception {
        pass.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < passes; i++) {
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
