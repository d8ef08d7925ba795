package org.cnnzoo.cli;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataCommandsTest {
    @TempDir
    Path dir;

    private Path folder() throws Exception {
        for (String cls : new String[]{"red", "blue"}) {
            Files.createDirectories(dir.resolve("data").resolve(cls));
            for (int i = 0; i < 3; i++) {
                try (Mat m = new Mat(30 + i, 40, opencv_core.CV_8UC3, cls.equals("red") ? new Scalar(0, 0, 200, 0)
                        : new Scalar(200, 0, 0, 0))) {
                    opencv_imgcodecs.imwrite(dir.resolve("data/" + cls + "/" + i + ".png").toString(), m);
                }
            }
        }
        Files.write(dir.resolve("data/red/broken.jpg"), new byte[0]);
        return dir.resolve("data");
    }

    @Test
    void augmentWritesAPreviewOfAFolderOrAnImage() throws Exception {
        Path data = folder();
        MainTest.Result r = MainTest.run("augment", "--data", data.toString(), "--ops", "flip:0.5,rotate:15,color:0.1",
                "--preview", dir.resolve("out/preview.png").toString(), "--count", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 image(s) x (original + 3 augmented)"), r.out());
        assertTrue(r.err().contains("broken.jpg (zero bytes)"), "unusable files are reported: " + r.err());
        Mat png = opencv_imgcodecs.imread(dir.resolve("out/preview.png").toString());
        assertEquals(4 * (160 + 34 + 6) + 6, png.rows());

        MainTest.Result single = MainTest.run("augment", "--image", data.resolve("blue/0.png").toString(), "--ops",
                "warp:0.05", "--preview", dir.resolve("one.png").toString());
        assertEquals(0, single.code(), single.err());
        assertTrue(Files.size(dir.resolve("one.png")) > 0);
    }

    @Test
    void augmentErrorsAreClear() throws Exception {
        Path data = folder();
        MainTest.Result badOps = MainTest.run("augment", "--data", data.toString(), "--ops", "spin:3", "--preview",
                dir.resolve("x.png").toString());
        assertEquals(Main.BAD_INPUT, badOps.code());
        assertTrue(badOps.err().contains("unknown operation 'spin'"), badOps.err());
        assertFalse(Files.exists(dir.resolve("x.png")));

        MainTest.Result both = MainTest.run("augment", "--data", data.toString(), "--image", "a.png", "--ops", "flip",
                "--preview", "x.png");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        MainTest.Result missing = MainTest.run("augment", "--image", dir.resolve("nope.jpg").toString(), "--ops", "flip",
                "--preview", dir.resolve("y.png").toString());
        assertEquals(Main.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("nope.jpg"), missing.err());
    }

    /** Digits drawn by three of DejaVu's faces: a ten-class folder that every data command reads. */
    @Test
    void glyphsWritesAnImageFolderOfCharactersThatDatasetReads() throws Exception {
        Path fonts = Path.of("/usr/share/fonts/truetype/dejavu");
        org.cnnzoo.zoo.ExternalTools.require(Files.isRegularFile(fonts.resolve("DejaVuSans.ttf")),
                "Debian's DejaVu fonts are not installed (apt-get install fonts-dejavu-core)");
        Path names = Files.writeString(dir.resolve("faces.txt"), "# three designs\nDejaVu Sans\nDejaVu Serif\n\nDejaVu Sans Mono\n");
        Path out = dir.resolve("digits");
        MainTest.Result r = MainTest.run("glyphs", "--fonts", fonts.toString(), "--faces-file", names.toString(),
                "--chars", "30-39", "--min-faces", "3", "--size", "24", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("10 classes (of 10 code points), 30 images from 3 faces"), r.out());
        MainTest.Result read = MainTest.run("dataset", out.toString());
        assertEquals(0, read.code(), read.err());
        assertTrue(read.out().contains("30 images in 10 classes"), read.out());

        MainTest.Result again = MainTest.run("glyphs", "--fonts", fonts.toString(), "--faces", "DejaVu Sans,DejaVu Serif",
                "--chars", "30-39", "--min-faces", "2", "--out", out.toString());
        assertEquals(Main.BAD_INPUT, again.code());
        assertTrue(again.err().contains("already exists") && again.err().contains("--overwrite"), again.err());
        MainTest.Result badRange = MainTest.run("glyphs", "--fonts", fonts.toString(), "--chars", "39-30", "--out",
                dir.resolve("x").toString());
        assertEquals(Main.BAD_INPUT, badRange.code());
        assertTrue(badRange.err().contains("'39-30' is not a range of code points"), badRange.err());
        MainTest.Result unknown = MainTest.run("glyphs", "--fonts", fonts.toString(), "--faces", "Nope", "--chars",
                "30-39", "--out", dir.resolve("y").toString());
        assertEquals(Main.BAD_INPUT, unknown.code());
        assertTrue(unknown.err().contains("no face named 'Nope'") && !unknown.err().contains("\tat "), unknown.err());
    }

    @Test
    void datasetShowsBalanceSplitAndFingerprint() throws Exception {
        MainTest.Result r = MainTest.run("dataset", "embedded", "--part", "test", "--split", "0.8,0.1,0.1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("embedded: 1,000 images in 10 classes"), r.out());
        assertTrue(r.out().contains("validation:") && r.out().contains("Ankle boot"), r.out());
        assertTrue(r.out().contains("fingerprint "), r.out());

        MainTest.Result folder = MainTest.run("dataset", folder().toString());
        assertEquals(0, folder.code(), folder.err());
        assertTrue(folder.out().contains("6 images in 2 classes"), folder.out());

        MainTest.Result bad = MainTest.run("dataset", dir.resolve("nowhere").toString());
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("is not a folder with one sub-folder per class"), bad.err());
        MainTest.Result badSplit = MainTest.run("dataset", "embedded", "--split", "0.8");
        assertEquals(Main.BAD_INPUT, badSplit.code());
        assertTrue(badSplit.err().contains("--split takes ratios train,validation[,test]"), badSplit.err());
        MainTest.Result notNumbers = MainTest.run("dataset", "embedded", "--split", "0.8,x");
        assertEquals(Main.BAD_INPUT, notNumbers.code());
        assertTrue(notNumbers.err().contains("--split takes numbers"), notNumbers.err());
    }
}
