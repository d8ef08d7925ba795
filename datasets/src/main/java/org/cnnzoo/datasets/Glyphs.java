package org.cnnzoo.datasets;

import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.common.Hashing;

import javax.imageio.ImageIO;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A many-class image set for one-shot learning made from the typefaces on a machine: every character is a class and
 * every typeface that draws it gives one image of it, as every person who drew a character gives one image of it in
 * Omniglot. Written as an image folder ({@code OUT/U+4E00/NN-face.png}), so that every command reads it as it reads
 * any other folder.
 *
 * <p>Each glyph is drawn white on black, its outline scaled to fit the square (aspect kept) and centred, as MNIST
 * centres its digits: what differs between two images of a class is the typeface's design, not its size or
 * placement. A face that maps the character to its missing-glyph shape, or draws nothing, gives no image; a face
 * whose drawing of a character is identical to another face's (fonts derived from one another) gives none either,
 * so that a query is never the same picture as its support.
 */
public final class Glyphs {
    /** Font files larger than this are refused before the JDK's font reader sees them (the largest CJK collection on Debian is 27 MB). */
    static final long MAX_FONT_BYTES = 64L << 20;
    /** Fewer faces than this per character cannot give a training triplet nor a one-shot support and query. */
    static final int MIN_FACES = 2;
    private static final float DRAW_SIZE = 200f;

    private Glyphs() {
    }

    /** Inclusive code point ranges, parsed from {@code 4E00-9FFF,3040-309F} or single code points {@code 41}. */
    public record Characters(List<int[]> ranges) {
        public Characters {
            ranges = List.copyOf(ranges);
        }

        public static Characters parse(String text) {
            List<int[]> ranges = new ArrayList<>();
            for (String part : text.split(",")) {
                String p = part.trim().toUpperCase(Locale.ROOT).replace("U+", "");
                String[] ends = p.split("-", -1);
                if (ends.length > 2 || ends[0].isEmpty()) {
                    throw new IllegalArgumentException("'" + part + "' is not a code point range such as 4E00-9FFF");
                }
                try {
                    int lo = Integer.parseInt(ends[0], 16);
                    int hi = ends.length == 2 ? Integer.parseInt(ends[1], 16) : lo;
                    if (lo > hi || hi > Character.MAX_CODE_POINT) {
                        throw new IllegalArgumentException("'" + part + "' is not a range of code points (at most 10FFFF,"
                                + " low end first)");
                    }
                    ranges.add(new int[]{lo, hi});
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + part + "' is not a code point range in hexadecimal, such as"
                            + " 4E00-9FFF");
                }
            }
            return new Characters(ranges);
        }

        int count() {
            return ranges.stream().mapToInt(r -> r[1] - r[0] + 1).sum();
        }
    }

    /**
     * What to draw.
     *
     * @param fonts    font files (.ttf, .otf, .ttc) or folders searched for them
     * @param names    the faces to use, by name (empty: every face found)
     * @param minFaces a character becomes a class when at least this many faces draw it (and give distinct images)
     * @param limit    at most this many classes, the first in code point order (0: all)
     */
    public record Spec(List<Path> fonts, List<String> names, Characters characters, int size, int minFaces,
                       int limit) {
        public Spec {
            fonts = List.copyOf(fonts);
            names = List.copyOf(names);
            if (size < 8 || size > 512) {
                throw new IllegalArgumentException("a glyph image is 8 to 512 pixels square, not " + size);
            }
            if (minFaces < MIN_FACES) {
                throw new IllegalArgumentException("each character needs at least " + MIN_FACES + " faces, not "
                        + minFaces);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("the class limit is 0 (none) or more, not " + limit);
            }
        }
    }

    /** What was written: the faces read, and the classes and images made of them. */
    public record Report(List<String> faces, int classes, int images, int characters) {
        public Report {
            faces = List.copyOf(faces);
        }
    }

    /**
     * The font faces in the given files and folders, in path order, one per name (a collection gives several); only
     * those named when {@code names} is not empty.
     */
    public static List<Font> faces(List<Path> fonts, List<String> names) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : fonts) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f) && isFontFile(f)).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IOException(p + ": no such font file or folder");
            }
        }
        Map<String, Font> byName = new LinkedHashMap<>();
        for (Path f : files) {
            long bytes = Files.size(f);
            if (bytes > MAX_FONT_BYTES) {
                throw new IOException(f + " is " + bytes / (1 << 20) + " MiB, more than the " + (MAX_FONT_BYTES >> 20)
                        + " MiB a font file may have here; leave it out");
            }
            Font[] inFile;
            try {
                inFile = Font.createFonts(f.toFile());
            } catch (FontFormatException e) {
                throw new IOException(f + " is not a font file this JDK can read (" + e.getMessage() + "); leave it out");
            }
            for (Font font : inFile) {
                byName.putIfAbsent(font.getFontName(Locale.ROOT), font);
            }
        }
        if (byName.isEmpty()) {
            throw new IOException("no font files (.ttf, .otf, .ttc) in " + fonts);
        }
        if (names.isEmpty()) {
            return List.copyOf(byName.values());
        }
        List<Font> chosen = new ArrayList<>();
        for (String name : names) {
            Font f = byName.get(name);
            if (f == null) {
                throw new IOException("no face named '" + name + "' in " + fonts + "; the faces there are "
                        + String.join(", ", byName.keySet()));
            }
            chosen.add(f);
        }
        return chosen;
    }

    private static boolean isFontFile(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".ttf") || name.endsWith(".otf") || name.endsWith(".ttc");
    }

    /**
     * Character {@code codePoint} as the face draws it, white on black, {@code size} pixels square; null when the
     * face has no glyph for it or the glyph is empty (a space).
     */
    public static byte[] draw(Font face, int codePoint, int size) {
        if (!face.canDisplay(codePoint)) {
            return null;
        }
        Font font = face.deriveFont(DRAW_SIZE);
        FontRenderContext frc = new FontRenderContext(null, true, true);
        GlyphVector gv = font.createGlyphVector(frc, new String(Character.toChars(codePoint)));
        if (gv.getNumGlyphs() != 1 || gv.getGlyphCode(0) == font.getMissingGlyphCode()) {
            return null;
        }
        Shape outline = gv.getOutline();
        Rectangle2D b = outline.getBounds2D();
        if (b.getWidth() <= 0 || b.getHeight() <= 0) {
            return null;
        }
        // a one-pixel border keeps anti-aliased edges inside the picture
        double scale = (size - 2) / Math.max(b.getWidth(), b.getHeight());
        AffineTransform t = new AffineTransform();
        t.translate(size / 2.0, size / 2.0);
        t.scale(scale, scale);
        t.translate(-b.getCenterX(), -b.getCenterY());
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(java.awt.Color.WHITE);
            g.fill(t.createTransformedShape(outline));
        } finally {
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (byte p : pixels) {
            if (p != 0) {
                return pixels;
            }
        }
        return null;
    }

    /**
     * Draws every character of the spec in every face and writes the classes that have enough distinct images;
     * {@code out} is replaced whole once complete (an existing folder only with {@code overwrite}).
     */
    public static Report write(Spec spec, Path out, boolean overwrite) throws IOException {
        if (Files.exists(out) && !overwrite) {
            throw new IOException(out + " already exists; choose another folder, or replace it with --overwrite");
        }
        List<Font> faces = faces(spec.fonts(), spec.names());
        if (faces.size() < spec.minFaces()) {
            throw new IOException("only " + faces.size() + " font faces found in " + spec.fonts() + ", fewer than the "
                    + spec.minFaces() + " each character needs");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            names.add(String.format(Locale.ROOT, "%02d-%s", i, fileName(faces.get(i).getFontName(Locale.ROOT))));
        }
        int[] counts = {0, 0};
        AtomicFiles.replaceFolder(out, dir -> {
            for (int[] range : spec.characters().ranges()) {
                for (int cp = range[0]; cp <= range[1]; cp++) {
                    if (spec.limit() > 0 && counts[0] == spec.limit()) {
                        return;
                    }
                    List<byte[]> images = new ArrayList<>();
                    List<String> from = new ArrayList<>();
                    Set<String> seen = new HashSet<>();
                    for (int f = 0; f < faces.size(); f++) {
                        byte[] pixels = draw(faces.get(f), cp, spec.size());
                        if (pixels != null && seen.add(Hashing.hex(Hashing.digest("SHA-256").digest(pixels)))) {
                            images.add(pixels);
                            from.add(names.get(f));
                        }
                    }
                    if (images.size() < spec.minFaces()) {
                        continue;
                    }
                    Path cls = dir.resolve(String.format(Locale.ROOT, "U+%04X", cp));
                    Files.createDirectories(cls);
                    for (int i = 0; i < images.size(); i++) {
                        BufferedImage img = new BufferedImage(spec.size(), spec.size(), BufferedImage.TYPE_BYTE_GRAY);
                        img.getRaster().setDataElements(0, 0, spec.size(), spec.size(), images.get(i));
                        ImageIO.write(img, "png", cls.resolve(from.get(i) + ".png").toFile());
                    }
                    counts[0]++;
                    counts[1] += images.size();
                }
            }
        });
        return new Report(names, counts[0], counts[1], spec.characters().count());
    }

    /** A face's name as a file name: letters, digits, dashes and dots only. */
    private static String fileName(String face) {
        return face.replaceAll("[^A-Za-z0-9.-]+", "_");
    }
}
