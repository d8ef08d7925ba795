package org.cnnzoo.detection.data;

import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.UnreadableImageException;
import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.LabelledBox;
import org.cnnzoo.detection.RgbImage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the readers of VOC, COCO and YOLO labels share: checking each picture as image folders do (it exists, is an
 * image, declares a size within the limit) and each box against its picture and the class list, and gathering
 * what was skipped into one warning per kind of problem.
 *
 * <p>The rule for boxes: a box sticking out of its picture by at most {@link #SLACK} pixels (rounding in labelling
 * tools) is clipped to it; one further outside is skipped ("outside the picture"); a box with no width or height
 * is skipped ("zero area"); a class the list does not have is skipped ("unknown class"). A picture that cannot be
 * read is skipped with its boxes.
 */
final class Annotations {
    static final double SLACK = 2;
    /** The largest annotation file read (a COCO instances file of 2017 is 450 MB). */
    static final long MAX_ANNOTATION_BYTES = 1L << 30;
    private static final int EXAMPLES = 3;
    /** The kind of problem of a picture that is missing or named outside its folder. */
    static final String REFUSED = "pictures missing or outside their folder, skipped with their boxes";

    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private final List<String> classes;

    Annotations(List<String> classes) {
        this.classes = classes;
    }

    /** Notes a problem of some kind at some place (a file, a file and box). */
    void skip(String kind, String where) {
        problems.computeIfAbsent(kind, k -> new ArrayList<>()).add(where);
    }

    /** The class index of a name, or -1 (noted) when the list does not have it. */
    int classIndex(String name, String where) {
        int i = classes.indexOf(name);
        if (i < 0) {
            skip("boxes of an unknown class skipped", where + " ('" + name + "')");
        }
        return i;
    }

    /**
     * The box clipped to a width x height picture, or null (noted) when it is outside, empty or not finite.
     */
    LabelledBox box(double x1, double y1, double x2, double y2, int classIndex, int width, int height, String where) {
        if (classIndex < 0) {
            return null;
        }
        if (!(Double.isFinite(x1) && Double.isFinite(y1) && Double.isFinite(x2) && Double.isFinite(y2))) {
            skip("boxes with missing or non-numeric corners skipped", where);
            return null;
        }
        if (x1 < -SLACK || y1 < -SLACK || x2 > width + SLACK || y2 > height + SLACK) {
            skip("boxes outside the picture skipped", where + " (" + x1 + "," + y1 + "," + x2 + "," + y2 + " in "
                    + width + "x" + height + ")");
            return null;
        }
        double cx1 = Math.max(0, x1);
        double cy1 = Math.max(0, y1);
        double cx2 = Math.min(width, x2);
        double cy2 = Math.min(height, y2);
        if (cx2 - cx1 <= 0 || cy2 - cy1 <= 0) {
            skip("boxes of zero area skipped", where);
            return null;
        }
        return new LabelledBox(new Box(cx1, cy1, cx2, cy2), classIndex);
    }

    /**
     * Width and height of a picture from its header (decoded when the header does not say), or null (noted) when
     * it is missing or unreadable.
     */
    int[] pictureSize(Path file, String where) {
        try {
            if (!Files.isRegularFile(file)) {
                skip("pictures missing, skipped with their boxes", where + " (" + file + ")");
                return null;
            }
            long length = Files.size(file);
            byte[] head;
            byte[] tail;
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                head = new byte[(int) Math.min(ImageDecoder.HEAD, length)];
                in.readFully(head);
                tail = new byte[(int) Math.min(ImageDecoder.TAIL, length)];
                in.seek(length - tail.length);
                in.readFully(tail);
            }
            ImageDecoder.Format format = ImageDecoder.check(file, head, tail);
            long[] size = ImageDecoder.declaredSize(format, head);
            if (size == null) {
                RgbImage image = RgbImage.read(file);
                return new int[]{image.width(), image.height()};
            }
            return new int[]{(int) size[0], (int) size[1]};
        } catch (UnreadableImageException e) {
            skip("pictures unreadable, skipped with their boxes", e.getMessage());
        } catch (IOException e) {
            skip("pictures unreadable, skipped with their boxes", where + " (" + e.getMessage() + ")");
        }
        return null;
    }

    /** @throws IOException naming the file when it is larger than an annotation file may be */
    static void checkSize(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no annotation file " + file);
        }
        if (Files.size(file) > MAX_ANNOTATION_BYTES) {
            throw new IOException(file + " is " + Files.size(file) + " bytes, more than the " + MAX_ANNOTATION_BYTES
                    + " an annotation file may have; split it");
        }
    }

    /** One line per kind of problem: how many, and the first few places. */
    List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : problems.entrySet()) {
            List<String> where = e.getValue();
            out.add(where.size() + " " + e.getKey() + ": " + String.join("; ", where.subList(0, Math.min(EXAMPLES,
                    where.size()))) + (where.size() > EXAMPLES ? "; and " + (where.size() - EXAMPLES) + " more" : ""));
        }
        return out;
    }
}
