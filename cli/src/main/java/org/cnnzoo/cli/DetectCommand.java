package org.cnnzoo.cli;

import org.cnnzoo.common.Home;
import org.cnnzoo.datasets.UnreadableImageException;
import org.cnnzoo.detection.Annotated;
import org.cnnzoo.detection.Detection;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.faceapi.FaceApiPackage;
import org.cnnzoo.detection.faceapi.FaceLandmarks;
import org.cnnzoo.detection.faceapi.TinyFaceDetector;
import org.cnnzoo.detection.yolo.DetectorRuns;
import org.cnnzoo.detection.yolo.YoloDetector;
import org.cnnzoo.zoo.weights.WeightStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code cnnzoo detect}: boxes on pictures, drawn and as JSON. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Find objects in pictures with a detector: face-api's tiny face detector (pretrained) or a run of"
                + " 'cnnzoo train-detector'. Writes NAME.png (boxes drawn) and NAME.json per picture.")
final class DetectCommand implements Callable<Integer> {
    static final String FACES = "tiny_face_detector";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = FACES + "|RUN", description = FACES + " (face-api's"
            + " detector, weights fetched from npm once) or a detector's run folder.")
    String model;

    @Option(names = "--weights", paramLabel = "DIR", description = "For " + FACES + ": face-api's model/ folder"
            + " (default: fetched into the weight store).")
    Path weights;

    @Option(names = "--input-size", converter = Values.Positive.class, description = "For " + FACES + ": a multiple of"
            + " 32 (default 416; smaller is faster and misses small faces).")
    Integer inputSize;

    @Option(names = "--score", description = "Keep boxes scoring at least this (default 0.5).")
    double score = 0.5;

    @Option(names = "--iou", description = "Suppress boxes overlapping a better one by more than this (default 0.4"
            + " for faces, as face-api; 0.45 for runs).")
    Double iou;

    @Option(names = "--landmarks", description = "For " + FACES + ": also the 68 landmarks of each face (face-api's"
            + " face_landmark_68).")
    boolean landmarks;

    @Option(names = "--offline", description = "Never download the face detector's weights.")
    boolean offline;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the pictures and JSON files.")
    Path folder;

    @Option(names = "--overwrite", description = "Replace files of the same names in --out.")
    boolean overwrite;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Picture files.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(score >= 0 && score <= 1) || iou != null && !(iou >= 0 && iou <= 1)) {
            throw new IllegalArgumentException("--score and --iou are between 0 and 1");
        }
        List<String> stems = outputStems(folder, images, overwrite);
        Detector detector = detector(err);
        int failed = 0;
        for (int i = 0; i < images.size(); i++) {
            RgbImage picture;
            try {
                picture = RgbImage.read(images.get(i));
            } catch (UnreadableImageException e) {
                err.println("skipped " + e.getMessage());
                failed++;
                continue;
            } catch (IOException e) {
                err.println("skipped " + images.get(i) + ": " + e.getMessage());
                failed++;
                continue;
            }
            List<Annotated.Found> found = detector.find(picture);
            Annotated.write(folder, stems.get(i), images.get(i).toString(), picture, found);
            out.printf("%s: %d found%s%n", images.get(i), found.size(), found.isEmpty() ? "" : " (" + String.join(", ",
                    found.stream().map(f -> String.format(Locale.ROOT, "%s %.2f", f.label(), f.score())).toList()) + ")");
        }
        out.printf("wrote %d picture(s) and JSON file(s) to %s%n", images.size() - failed, folder);
        return failed == 0 ? 0 : 1;
    }

    /** A detector as the command uses it. */
    interface Detector {
        List<Annotated.Found> find(RgbImage picture) throws IOException;
    }

    private Detector detector(PrintWriter err) throws IOException {
        if (model.equals(FACES)) {
            Path folder = FaceApiPackage.resolve(weights, Home.weights(), new WeightStore.Fetching(
                    System.getenv("CNNZOO_MIRROR"), offline, Loading.bar("face-api"), err::println));
            TinyFaceDetector faces = TinyFaceDetector.load(folder, inputSize == null ? 416 : inputSize);
            FaceLandmarks marks = landmarks ? FaceLandmarks.load(folder) : null;
            double threshold = iou == null ? TinyFaceDetector.IOU : iou;
            return picture -> {
                List<Detection> found = faces.detect(picture, score, threshold);
                List<List<double[]>> points = null;
                if (marks != null) {
                    points = new ArrayList<>();
                    for (Detection d : found) {
                        RgbImage face = picture.crop(d.box());
                        double x0 = Math.max(0, Math.floor(d.box().x1()));
                        double y0 = Math.max(0, Math.floor(d.box().y1()));
                        points.add(marks.detect(face).stream().map(p -> new double[]{p.x() + x0, p.y() + y0}).toList());
                    }
                }
                return Annotated.found(found, List.of("face"), points);
            };
        }
        if (landmarks || weights != null || inputSize != null) {
            throw new IllegalArgumentException("--landmarks, --weights and --input-size go with --model " + FACES
                    + "; a run brings its own weights and input");
        }
        YoloDetector yolo = DetectorRuns.load(Path.of(model));
        double threshold = iou == null ? 0.45 : iou;
        return picture -> Annotated.found(yolo.detect(picture, score, threshold), yolo.spec().classes(), null);
    }

    /**
     * The output names of the pictures (NAME.png and NAME.json in {@code folder}), refusing a folder that is a file
     * and, unless {@code overwrite}, outputs that exist.
     */
    static List<String> outputStems(Path folder, List<Path> images, boolean overwrite) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--out " + folder + " is a file: name a folder");
        }
        List<String> stems = stems(images);
        if (!overwrite) {
            for (String stem : stems) {
                for (String ext : List.of(".png", ".json")) {
                    if (Files.exists(folder.resolve(stem + ext))) {
                        throw new IllegalArgumentException(folder.resolve(stem + ext) + " exists; give another --out, or"
                                + " --overwrite");
                    }
                }
            }
        }
        return stems;
    }

    /** Output names from the pictures' names, numbered when two pictures share one. */
    static List<String> stems(List<Path> images) {
        List<String> stems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Path p : images) {
            String stem = p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            String name = stem;
            for (int k = 2; !used.add(name); k++) {
                name = stem + "-" + k;
            }
            stems.add(name);
        }
        return stems;
    }
}
