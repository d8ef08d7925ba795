package org.cnnzoo.detection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.common.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a detector found on a picture, written for people and programs: the picture with each box drawn and
 * labelled with its class and score (and any landmark points), and a JSON file of the same.
 */
public final class Annotated {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Color[] COLOURS = {new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 130, 200),
            new Color(245, 130, 48), new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230),
            new Color(210, 245, 60), new Color(250, 190, 212), new Color(0, 128, 128)};

    /** A box as written to JSON: class name, score, corners in pixels, any points. */
    public record Found(String label, double score, double x1, double y1, double x2, double y2, List<double[]> points) {
    }

    private Annotated() {
    }

    public static List<Found> found(List<Detection> detections, List<String> classes, List<List<double[]>> points) {
        List<Found> out = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            Detection d = detections.get(i);
            Box b = d.box();
            out.add(new Found(classes.get(d.classIndex()), d.score(), b.x1(), b.y1(), b.x2(), b.y2(),
                    points == null ? null : points.get(i)));
        }
        return out;
    }

    /** Writes {@code STEM.png} (the picture with the boxes) and {@code STEM.json} into a folder. */
    public static void write(Path folder, String stem, String source, RgbImage picture, List<Found> found)
            throws IOException {
        writePicture(folder.resolve(stem + ".png"), picture, found);
        AtomicFiles.write(folder.resolve(stem + ".json"), tmp -> {
            Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("image", source);
            doc.put("width", picture.width());
            doc.put("height", picture.height());
            doc.put("detections", found);
            JSON.writeValue(tmp.toFile(), doc);
        });
    }

    /**
     * The picture with each box drawn and labelled "LABEL NUMBER" (the number is the score, or whatever the caller
     * put there, such as a distance), and any points, as a PNG file written atomically.
     */
    public static void writePicture(Path png, RgbImage picture, List<Found> found) throws IOException {
        BufferedImage image = new BufferedImage(picture.width(), picture.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < picture.height(); y++) {
            for (int x = 0; x < picture.width(); x++) {
                image.setRGB(x, y, picture.value(y, x, 0) << 16 | picture.value(y, x, 1) << 8 | picture.value(y, x, 2));
            }
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float line = Math.max(1f, Math.min(picture.width(), picture.height()) / 200f);
        g.setStroke(new BasicStroke(line));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(9, Math.round(line * 6))));
        List<String> labels = found.stream().map(Found::label).distinct().toList();
        for (Found f : found) {
            Color c = COLOURS[labels.indexOf(f.label()) % COLOURS.length];
            g.setColor(c);
            int x = (int) Math.round(f.x1());
            int y = (int) Math.round(f.y1());
            g.drawRect(x, y, (int) Math.round(f.x2() - f.x1()), (int) Math.round(f.y2() - f.y1()));
            String text = String.format(Locale.ROOT, "%s %.2f", f.label(), f.score());
            int tw = g.getFontMetrics().stringWidth(text) + 4;
            int th = g.getFontMetrics().getHeight();
            int ty = y - th >= 0 ? y - th : y;
            g.fillRect(x, ty, tw, th);
            g.setColor(Color.WHITE);
            g.drawString(text, x + 2, ty + th - g.getFontMetrics().getDescent());
            if (f.points() != null) {
                g.setColor(c);
                int r = Math.max(1, Math.round(line));
                for (double[] p : f.points()) {
                    g.fillOval((int) Math.round(p[0]) - r, (int) Math.round(p[1]) - r, 2 * r + 1, 2 * r + 1);
                }
            }
        }
        g.dispose();
        AtomicFiles.write(png, tmp -> ImageIO.write(image, "png", tmp.toFile()));
    }
}
