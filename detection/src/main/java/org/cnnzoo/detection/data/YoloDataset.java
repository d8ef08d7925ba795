package org.cnnzoo.detection.data;

import org.cnnzoo.detection.LabelledBox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * YOLO (Darknet, Ultralytics) labels: a text file per picture with one line per object, {@code CLASS CX CY W H},
 * the centre and size as fractions of the picture. Pictures in {@code images/} with labels in the mirrored
 * {@code labels/} folder, or labels beside their pictures; a picture without a label file has no objects. Class
 * names from {@code classes.txt} or {@code obj.names} (one per line) or the {@code names:} of {@code data.yaml}.
 */
public final class YoloDataset {
    private static final Set<String> PICTURES = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    private YoloDataset() {
    }

    public static DetectionSet read(Path root, List<String> classes) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("no YOLO folder " + root);
        }
        if (classes == null) {
            classes = classNames(root);
        }
        Annotations checks = new Annotations(classes);
        Path images = Files.isDirectory(root.resolve("images")) ? root.resolve("images") : root;
        List<Path> pictures;
        try (Stream<Path> s = Files.walk(images, 8)) {
            pictures = s.filter(Files::isRegularFile).filter(p -> PICTURES.contains(extension(p))).sorted().toList();
        }
        List<DetectionSample> samples = new ArrayList<>();
        for (Path picture : pictures) {
            Path relative = images.relativize(picture);
            String stem = relative.toString().replaceFirst("\\.[^.]+$", "");
            Path label = images == root ? root.resolve(stem + ".txt") : root.resolve("labels").resolve(stem + ".txt");
            int[] size = checks.pictureSize(picture, relative.toString());
            if (size == null) {
                continue;
            }
            List<LabelledBox> boxes = new ArrayList<>();
            if (Files.isRegularFile(label)) {
                Annotations.checkSize(label);
                List<String> lines = Files.readAllLines(label);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    if (line.isEmpty()) {
                        continue;
                    }
                    String at = root.relativize(label) + ":" + (i + 1);
                    String[] f = line.split("\\s+");
                    int c = parseClass(f[0], classes.size());
                    if (f.length < 5 || c == -2) {
                        checks.skip("label lines that are not 'CLASS CX CY W H' skipped", at);
                        continue;
                    }
                    if (c < 0) {
                        checks.skip("boxes of an unknown class skipped", at + " (class " + f[0] + ")");
                        continue;
                    }
                    double cx = parse(f[1]) * size[0];
                    double cy = parse(f[2]) * size[1];
                    double w = parse(f[3]) * size[0];
                    double h = parse(f[4]) * size[1];
                    LabelledBox box = checks.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, c, size[0], size[1], at);
                    if (box != null) {
                        boxes.add(box);
                    }
                }
            }
            samples.add(new DetectionSample(relative.toString(), picture, null, boxes));
        }
        return new DetectionSet("yolo:" + root, classes, samples, checks.warnings());
    }

    /**
     * Writes samples as a YOLO folder that {@link #read} reads back: {@code images/ID.png}, {@code labels/ID.txt}
     * (centres and sizes as fractions, six decimals) and {@code classes.txt}. For exporting the embedded set to other
     * tools, and for tests that need files.
     */
    public static void write(DetectionSet set, List<DetectionSample> samples, Path root) throws IOException {
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("labels"));
        Files.write(root.resolve("classes.txt"), set.classes());
        for (DetectionSample s : samples) {
            String id = s.id().replaceAll("[^A-Za-z0-9._-]", "_");
            org.cnnzoo.detection.RgbImage p = s.image();
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(p.width(), p.height(),
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < p.height(); y++) {
                for (int x = 0; x < p.width(); x++) {
                    image.setRGB(x, y, p.value(y, x, 0) << 16 | p.value(y, x, 1) << 8 | p.value(y, x, 2));
                }
            }
            org.cnnzoo.common.AtomicFiles.write(root.resolve("images").resolve(id + ".png"),
                    tmp -> javax.imageio.ImageIO.write(image, "png", tmp.toFile()));
            List<String> lines = new ArrayList<>();
            for (LabelledBox o : s.objects()) {
                org.cnnzoo.detection.Box b = o.box().relativeTo(p.width(), p.height());
                lines.add(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f", o.classIndex(), b.centreX(), b.centreY(),
                        b.width(), b.height()));
            }
            org.cnnzoo.common.AtomicFiles.write(root.resolve("labels").resolve(id + ".txt"), tmp -> Files.write(tmp, lines));
        }
    }

    /** The class index on a line, -1 when it is outside the list, -2 when it is not a whole number. */
    private static int parseClass(String field, int classes) {
        try {
            int c = Integer.parseInt(field);
            return c >= 0 && c < classes ? c : -1;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private static double parse(String field) {
        try {
            return Double.parseDouble(field);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The class names of a YOLO folder. @throws IOException saying which files were looked for */
    static List<String> classNames(Path root) throws IOException {
        for (String file : List.of("classes.txt", "obj.names")) {
            Path p = root.resolve(file);
            if (Files.isRegularFile(p)) {
                Annotations.checkSize(p);
                return Files.readAllLines(p).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
        }
        Path yaml = root.resolve("data.yaml");
        if (Files.isRegularFile(yaml)) {
            Annotations.checkSize(yaml);
            List<String> names = yamlNames(Files.readAllLines(yaml));
            if (!names.isEmpty()) {
                return names;
            }
        }
        throw new IOException(root + " has no class names: put them in classes.txt (one per line), obj.names, or"
                + " the names: list of data.yaml");
    }

    /** The {@code names:} of a data.yaml: an inline list, a block list, or a block mapping of index to name. */
    static List<String> yamlNames(List<String> lines) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("\\s+#.*$", "");
            if (!line.startsWith("names:")) {
                continue;
            }
            String rest = line.substring("names:".length()).trim();
            if (rest.startsWith("[")) {
                for (String n : rest.replaceAll("[\\[\\]]", "").split(",")) {
                    if (!n.isBlank()) {
                        names.add(unquote(n.trim()));
                    }
                }
                return names;
            }
            for (int j = i + 1; j < lines.size() && (lines.get(j).startsWith(" ") || lines.get(j).startsWith("\t")
                    || lines.get(j).startsWith("-")); j++) {
                String item = lines.get(j).trim();
                if (item.startsWith("-")) {
                    names.add(unquote(item.substring(1).trim()));
                } else if (item.contains(":")) {
                    names.add(unquote(item.substring(item.indexOf(':') + 1).trim()));
                }
            }
            return names;
        }
        return names;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))
                ? s.substring(1, s.length() - 1) : s;
    }
}
