package org.cnnzoo.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Characters drawn by DejaVu's faces as a many-class image folder. */
class GlyphsTest {
    @TempDir
    Path dir;

    private static final List<String> FACES = List.of("DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono",
            "DejaVu Sans Bold");

    @Test
    void everyLetterIsAClassWithOneImagePerFaceReadAsAnImageFolder() throws IOException {
        Path fonts = DebianData.dejavuFonts();
        Glyphs.Report r = Glyphs.write(new Glyphs.Spec(List.of(fonts), FACES, Glyphs.Characters.parse("41-5A,U+E000"),
                28, 4, 0), dir.resolve("letters"), false);
        assertEquals(27, r.characters());
        assertEquals(26, r.classes(), "A-Z; no face draws the private-use U+E000");
        assertEquals(26 * 4, r.images());
        ImageFolder folder = ImageFolder.scan(dir.resolve("letters"));
        assertEquals(26, folder.classes().size());
        assertEquals("U+0041", folder.classes().get(0));
        assertEquals(104, folder.size());
        try (Stream<Path> files = Files.list(dir.resolve("letters/U+0057"))) {
            assertEquals(List.of("00-DejaVu_Sans.png", "01-DejaVu_Serif.png", "02-DejaVu_Sans_Mono.png",
                    "03-DejaVu_Sans_Bold.png"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aGlyphIsWhiteOnBlackScaledToTheSquareAndCentred() throws IOException {
        Font sans = Glyphs.faces(List.of(DebianData.dejavuFonts()), List.of("DejaVu Sans")).get(0);
        int size = 32;
        byte[] o = Glyphs.draw(sans, 'O', size);
        // DejaVu's O is taller than wide: its ink reaches within two pixels of the top and bottom (scaled to fit,
        // one-pixel border), is centred across, and its counter is dark
        int[] box = inkBox(o, size);
        assertTrue(box[1] <= 2 && box[3] >= size - 3 && box[0] > 2 && Math.abs(box[0] + box[2] - (size - 1)) <= 1,
                java.util.Arrays.toString(box));
        assertEquals(0, o[size / 2 * size + size / 2] & 0xff, "the O's counter is black");
        // an I is tall and thin: it fills the height and stays narrow around the middle
        int[] i = inkBox(Glyphs.draw(sans, 'I', size), size);
        assertTrue(i[1] <= 2 && i[3] >= size - 3 && i[2] - i[0] < 8 && Math.abs(i[0] + i[2] - (size - 1)) <= 1,
                java.util.Arrays.toString(i));
        assertNull(Glyphs.draw(sans, ' ', size), "a space draws nothing");
        assertNull(Glyphs.draw(sans, 0x4E00, size), "DejaVu has no ideographs");
    }

    @Test
    void theSameSpecWritesTheSameFilesAndAnExistingFolderIsKept() throws IOException {
        Glyphs.Spec spec = new Glyphs.Spec(List.of(DebianData.dejavuFonts()), FACES, Glyphs.Characters.parse("30-39"),
                16, 2, 3);
        Glyphs.Report r = Glyphs.write(spec, dir.resolve("a"), false);
        assertEquals(3, r.classes(), "limited to the first three characters");
        Glyphs.write(spec, dir.resolve("b"), false);
        BufferedImage a = ImageIO.read(dir.resolve("a/U+0032/01-DejaVu_Serif.png").toFile());
        assertEquals(16, a.getWidth());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/U+0032/01-DejaVu_Serif.png")),
                Files.readAllBytes(dir.resolve("b/U+0032/01-DejaVu_Serif.png")));
        IOException e = assertThrows(IOException.class, () -> Glyphs.write(spec, dir.resolve("a"), false));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--overwrite"), e.getMessage());
        Glyphs.write(new Glyphs.Spec(spec.fonts(), spec.names(), spec.characters(), 16, 2, 1), dir.resolve("a"), true);
        try (Stream<Path> classes = Files.list(dir.resolve("a"))) {
            assertEquals(1, classes.count(), "replaced whole");
        }
    }

    @Test
    void badFontsAndRangesAreRefusedNamingThem() throws IOException {
        Path fake = Files.writeString(dir.resolve("fake.ttf"), "not a font");
        IOException e = assertThrows(IOException.class, () -> Glyphs.faces(List.of(fake), List.of()));
        assertTrue(e.getMessage().startsWith(fake + " is not a font file"), e.getMessage());
        Path huge = dir.resolve("huge.otf");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(Glyphs.MAX_FONT_BYTES + 1);      // sparse: nothing is written
        }
        e = assertThrows(IOException.class, () -> Glyphs.faces(List.of(huge), List.of()));
        assertTrue(e.getMessage().startsWith(huge + " is 64 MiB, more than"), e.getMessage());
        e = assertThrows(IOException.class, () -> Glyphs.faces(List.of(DebianData.dejavuFonts()), List.of("Comic Sans")));
        assertTrue(e.getMessage().contains("no face named 'Comic Sans'") && e.getMessage().contains("DejaVu Sans"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> Glyphs.faces(List.of(dir.resolve("missing")), List.of()));
        assertTrue(e.getMessage().contains("no such font file or folder"), e.getMessage());
        e = assertThrows(IOException.class, () -> Glyphs.write(new Glyphs.Spec(List.of(DebianData.dejavuFonts()),
                List.of("DejaVu Sans"), Glyphs.Characters.parse("41"), 16, 2, 0), dir.resolve("one"), false));
        assertTrue(e.getMessage().contains("fewer than the 2 each character needs"), e.getMessage());
        for (String bad : List.of("4E00-", "9FFF-4E00", "XYZ", "110000", "")) {
            assertThrows(IllegalArgumentException.class, () -> Glyphs.Characters.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new Glyphs.Spec(List.of(), List.of(),
                Glyphs.Characters.parse("41"), 4, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Glyphs.Spec(List.of(), List.of(),
                Glyphs.Characters.parse("41"), 32, 1, 0));
    }

    /** The smallest box holding every pixel brighter than half: {x0, y0, x1, y1}. */
    private static int[] inkBox(byte[] pixels, int size) {
        int[] box = {size, size, -1, -1};
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if ((pixels[y * size + x] & 0xff) > 127) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                }
            }
        }
        return box;
    }
}
