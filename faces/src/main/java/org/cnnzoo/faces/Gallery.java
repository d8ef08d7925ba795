package org.cnnzoo.faces;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.datasets.UnreadableImageException;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.faceapi.FaceApiWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * People known by their face descriptors, for naming faces in new photos (the course's one-shot setting: one photo
 * per person is enough). A face is matched as face-api's FaceMatcher does: to the person whose descriptors lie
 * closest on average, and named only when that mean distance is under the threshold; otherwise it is unknown.
 */
public record Gallery(String descriptors, double threshold, List<Person> people) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Set<String> PICTURES = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    /** A gallery file is JSON of a few numbers per person: anything larger is not one. */
    private static final long MAX_BYTES = 256L << 20;

    /** A person: their name, the photos enrolled and one descriptor per photo. */
    public record Person(String name, List<String> photos, List<float[]> descriptors) {
        public Person {
            photos = List.copyOf(photos);
            descriptors = List.copyOf(descriptors);
        }

        /** The mean Euclidean distance from a descriptor to this person's (face-api's FaceMatcher). */
        public double distance(float[] descriptor) {
            double sum = 0;
            for (float[] d : descriptors) {
                sum += FaceDescriptors.distance(d, descriptor);
            }
            return sum / descriptors.size();
        }
    }

    /** The closest person and the distance; {@code known} when the distance is under the threshold. */
    public record Match(String name, double distance, boolean known) {
        /** The person's name, or "unknown". */
        public String label() {
            return known ? name : "unknown";
        }
    }

    public Gallery {
        people = List.copyOf(people);
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("the distance threshold must be positive, got " + threshold);
        }
    }

    public Match match(float[] descriptor) {
        if (people.isEmpty()) {
            throw new IllegalStateException("the gallery holds nobody");
        }
        Person best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Person p : people) {
            double d = p.distance(descriptor);
            if (d < bestDistance) {
                bestDistance = d;
                best = p;
            }
        }
        return new Match(best.name(), bestDistance, bestDistance < threshold);
    }

    /**
     * Enrols the people of a folder: {@code DIR/NAME.jpg} (one photo of NAME) or {@code DIR/NAME/*.jpg} (several).
     * A photo must show exactly one face; photos with none or several are left out, each named in a warning. Files
     * are taken only from inside the folder (links leading out of it are refused).
     */
    public static Gallery enroll(Path dir, FacePipeline pipeline, double threshold, Consumer<String> warn)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--gallery " + dir + " is not a folder: give a folder with NAME.jpg or"
                    + " NAME/*.jpg per person");
        }
        Path root = dir.toRealPath();
        List<Person> people = new ArrayList<>();
        for (Path entry : sorted(root)) {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                List<String> photos = new ArrayList<>();
                List<float[]> descriptors = new ArrayList<>();
                for (Path photo : sorted(entry)) {
                    if (isPicture(photo)) {
                        describe(root, photo, pipeline, warn, photos, descriptors);
                    }
                }
                add(people, entry.getFileName().toString(), photos, descriptors, warn);
            } else if (isPicture(entry)) {
                List<String> photos = new ArrayList<>();
                List<float[]> descriptors = new ArrayList<>();
                describe(root, entry, pipeline, warn, photos, descriptors);
                String name = entry.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                add(people, name, photos, descriptors, warn);
            }
        }
        if (people.isEmpty()) {
            throw new IllegalArgumentException("nobody could be enrolled from " + dir + ": it needs NAME.jpg or"
                    + " NAME/*.jpg, each photo showing one face");
        }
        return new Gallery(FaceApiWeights.PACKAGE + " face_recognition", threshold, people);
    }

    private static void add(List<Person> people, String name, List<String> photos, List<float[]> descriptors,
                            Consumer<String> warn) {
        if (descriptors.isEmpty()) {
            warn.accept(name + ": not enrolled, no usable photo");
            return;
        }
        for (Person p : people) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("'" + name + "' is enrolled twice (a photo NAME.jpg and a folder"
                        + " NAME/): keep one of them");
            }
        }
        people.add(new Person(name, photos, descriptors));
    }

    private static void describe(Path root, Path photo, FacePipeline pipeline, Consumer<String> warn,
                                 List<String> photos, List<float[]> descriptors) throws IOException {
        Path real = photo.toRealPath();
        if (!real.startsWith(root)) {
            warn.accept(photo + ": skipped, it leads outside the gallery folder");
            return;
        }
        RgbImage picture;
        try {
            picture = RgbImage.read(real);
        } catch (UnreadableImageException e) {
            warn.accept("skipped " + e.getMessage());
            return;
        }
        List<FacePipeline.Face> faces = pipeline.faces(picture, FacePipeline.SCORE);
        if (faces.size() != 1) {
            warn.accept(String.format(Locale.ROOT, "%s: skipped, %s found; enrol photos showing exactly one face",
                    root.relativize(real), faces.isEmpty() ? "no face" : faces.size() + " faces"));
            return;
        }
        photos.add(root.relativize(real).toString());
        descriptors.add(faces.get(0).descriptor());
    }

    private static boolean isPicture(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && PICTURES.contains(name.substring(dot + 1)) && Files.isRegularFile(p);
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), this));
    }

    /** A gallery file, checked: every descriptor has face-api's 128 finite numbers. */
    public static Gallery read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--gallery " + file + " is not a file: make one with 'cnnzoo faces"
                    + " enroll --gallery DIR --out " + file + "'");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(file + " is " + Files.size(file) + " bytes, too large for a gallery");
        }
        Gallery g;
        try {
            g = JSON.readValue(file.toFile(), Gallery.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a gallery written by 'cnnzoo faces enroll': "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (g.people() == null || g.people().isEmpty()) {
            throw new IllegalArgumentException(file + " holds nobody");
        }
        for (Person p : g.people()) {
            if (p.name() == null || p.descriptors() == null || p.descriptors().isEmpty()) {
                throw new IllegalArgumentException(file + ": a person without name or descriptors");
            }
            for (float[] d : p.descriptors()) {
                if (d == null || d.length != 128) {
                    throw new IllegalArgumentException(file + ": " + p.name() + " has a descriptor of "
                            + (d == null ? 0 : d.length) + " numbers, not 128");
                }
                for (float v : d) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException(file + ": " + p.name() + " has a descriptor that is not"
                                + " finite");
                    }
                }
            }
        }
        return g;
    }
}
