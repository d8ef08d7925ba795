package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.common.Home;
import org.cnnzoo.datasets.UnreadableImageException;
import org.cnnzoo.detection.Annotated;
import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.faceapi.FaceApiPackage;
import org.cnnzoo.faces.FaceDescriptors;
import org.cnnzoo.faces.FacePipeline;
import org.cnnzoo.faces.Gallery;
import org.cnnzoo.zoo.weights.WeightStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnnzoo faces}: face verification and one-shot identification with face-api's pretrained networks. */
@Command(name = "faces", mixinStandardHelpOptions = true,
        description = "Faces with face-api's pretrained networks (detector, landmarks, 128-d descriptor; fetched from"
                + " npm once): enrol a gallery with one photo per person, verify two photos, identify faces.",
        subcommands = {FacesCommand.Enroll.class, FacesCommand.Verify.class, FacesCommand.Identify.class})
final class FacesCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where face-api's networks come from, and the matching threshold. */
    static final class Networks {
        @Option(names = "--weights", paramLabel = "DIR", description = "face-api's model/ folder (default: fetched"
                + " into the weight store).")
        Path weights;

        @Option(names = "--offline", description = "Never download face-api's weights.")
        boolean offline;

        @Option(names = "--threshold", description = "Distance under which two faces are one person (default 0.6,"
                + " face-api's).")
        double threshold = FaceDescriptors.THRESHOLD;

        FacePipeline load(PrintWriter err) throws IOException {
            if (!(threshold > 0 && threshold < 2.5)) {
                throw new IllegalArgumentException("--threshold is a distance between descriptors, e.g. 0.6; got "
                        + threshold);
            }
            Path folder = FaceApiPackage.resolve(weights, Home.weights(), new WeightStore.Fetching(
                    System.getenv("CNNZOO_MIRROR"), offline, Loading.bar("face-api"), err::println));
            return FacePipeline.load(folder);
        }
    }

    /** A photo's faces, or null (said on err) when the photo cannot be read. */
    static List<FacePipeline.Face> faces(FacePipeline pipeline, Path file, RgbImage[] picture, PrintWriter err)
            throws IOException {
        try {
            picture[0] = RgbImage.read(file);
        } catch (UnreadableImageException e) {
            err.println("skipped " + e.getMessage());
            return null;
        } catch (IOException e) {
            err.println("skipped " + file + ": " + e.getMessage());
            return null;
        }
        return pipeline.faces(picture[0], FacePipeline.SCORE);
    }

    static Map<String, Object> box(Box b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x1", b.x1());
        m.put("y1", b.y1());
        m.put("x2", b.x2());
        m.put("y2", b.y2());
        return m;
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true, description = "Describe the people of a folder"
            + " (NAME.jpg or NAME/*.jpg, one face per photo) into a gallery file.")
    static final class Enroll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Networks networks;

        @Option(names = "--gallery", required = true, paramLabel = "DIR", description = "NAME.jpg (one photo of NAME)"
                + " or NAME/*.jpg per person.")
        Path gallery;

        @Option(names = "--out", required = true, paramLabel = "GALLERY.json", description = "Gallery file to write.")
        Path out;

        @Option(names = "--overwrite", description = "Replace an existing gallery file.")
        boolean overwrite;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (Files.exists(this.out) && !overwrite) {
                throw new IllegalArgumentException(this.out + " exists; give another --out, or --overwrite");
            }
            List<String> warnings = new ArrayList<>();
            Gallery g = Gallery.enroll(gallery, networks.load(err), networks.threshold, w -> {
                warnings.add(w);
                err.println(w);
            });
            g.write(this.out);
            for (Gallery.Person p : g.people()) {
                out.printf("%s: %d photo(s)%n", p.name(), p.descriptors().size());
            }
            out.printf("enrolled %d people into %s%s%n", g.people().size(), this.out,
                    warnings.isEmpty() ? "" : " (" + warnings.size() + " photo(s) or people left out, see above)");
            return warnings.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Whether two photos, each showing one"
            + " face, show the same person: the descriptors' distance against the threshold.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Networks networks;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
        Path json;

        @Parameters(arity = "2", paramLabel = "IMAGE", description = "Two photos, one face each.")
        List<Path> images;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            FacePipeline pipeline = networks.load(err);
            List<FacePipeline.Face> found = new ArrayList<>();
            for (Path file : images) {
                List<FacePipeline.Face> faces = faces(pipeline, file, new RgbImage[1], err);
                if (faces == null) {
                    return 1;
                }
                if (faces.size() != 1) {
                    out.printf("%s: %s found; verify compares one face per photo (crop the photo, or use 'cnnzoo faces"
                            + " identify')%n", file, faces.isEmpty() ? "no face" : faces.size() + " faces");
                    return 1;
                }
                found.add(faces.get(0));
            }
            double distance = FaceDescriptors.distance(found.get(0).descriptor(), found.get(1).descriptor());
            boolean same = distance < networks.threshold;
            out.printf(Locale.ROOT, "distance %.3f: %s (threshold %.2f)%n", distance,
                    same ? "same person" : "different people", networks.threshold);
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("images", images.stream().map(Path::toString).toList());
                doc.put("boxes", found.stream().map(f -> box(f.detection().box())).toList());
                doc.put("distance", distance);
                doc.put("threshold", networks.threshold);
                doc.put("samePerson", same);
                AtomicFiles.write(json, tmp -> JSON.writeValue(tmp.toFile(), doc));
            }
            return 0;
        }
    }

    @Command(name = "identify", mixinStandardHelpOptions = true, description = "Name every face in photos against a"
            + " gallery (or 'unknown'); writes NAME.png (boxes with names and distances) and NAME.json per photo.")
    static final class Identify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Networks networks;

        @Option(names = "--gallery", required = true, paramLabel = "GALLERY.json", description = "From 'cnnzoo faces enroll'.")
        Path gallery;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the pictures and JSON files.")
        Path folder;

        @Option(names = "--overwrite", description = "Replace files of the same names in --out.")
        boolean overwrite;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Photos.")
        List<Path> images;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Gallery known = Gallery.read(gallery);
            // the threshold given here wins over the one the gallery was enrolled with, when given
            boolean given = spec.commandLine().getParseResult().hasMatchedOption("--threshold");
            Gallery g = given ? new Gallery(known.descriptors(), networks.threshold, known.people()) : known;
            List<String> stems = DetectCommand.outputStems(folder, images, overwrite);
            FacePipeline pipeline = networks.load(err);
            Files.createDirectories(folder);
            int failed = 0;
            for (int i = 0; i < images.size(); i++) {
                RgbImage[] picture = new RgbImage[1];
                List<FacePipeline.Face> faces = faces(pipeline, images.get(i), picture, err);
                if (faces == null) {
                    failed++;
                    continue;
                }
                List<Annotated.Found> drawn = new ArrayList<>();
                List<Map<String, Object>> rows = new ArrayList<>();
                List<String> said = new ArrayList<>();
                for (FacePipeline.Face f : faces) {
                    Gallery.Match m = g.match(f.descriptor());
                    Box b = f.detection().box();
                    drawn.add(new Annotated.Found(m.label(), m.distance(), b.x1(), b.y1(), b.x2(), b.y2(), null));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", m.label());
                    row.put("closest", m.name());
                    row.put("distance", m.distance());
                    row.put("score", f.detection().score());
                    row.put("box", box(b));
                    rows.add(row);
                    said.add(String.format(Locale.ROOT, "%s %.2f", m.label(), m.distance()));
                }
                Annotated.writePicture(folder.resolve(stems.get(i) + ".png"), picture[0], drawn);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("image", images.get(i).toString());
                doc.put("threshold", g.threshold());
                doc.put("faces", rows);
                AtomicFiles.write(folder.resolve(stems.get(i) + ".json"), tmp -> JSON.writeValue(tmp.toFile(), doc));
                out.printf("%s: %s%n", images.get(i), faces.isEmpty() ? "no face found"
                        : faces.size() + " face(s): " + String.join(", ", said));
            }
            out.printf("wrote %d picture(s) and JSON file(s) to %s%n", images.size() - failed, folder);
            return failed == 0 ? 0 : 1;
        }
    }
}
