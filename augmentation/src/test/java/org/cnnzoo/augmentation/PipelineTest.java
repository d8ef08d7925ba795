package org.cnnzoo.augmentation;

import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.Seeds;
import org.datavec.image.data.ImageWritable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTest {
    static final String EXAMPLE = "flip:0.5,crop:0.08-1.0,rotate:15,shear:0.2,color:0.1,warp:0.1";

    @Test
    void theIssuesExampleParsesAndWritesBackTheSame() {
        Pipeline p = Spec.parse(EXAMPLE);
        assertEquals(6, p.steps().size());
        assertEquals("flip:0.5,crop:0.08-1,rotate:15,shear:0.2,color:0.1,warp:0.1", p.spec());
        assertEquals(p.spec(), Spec.parse(p.spec()).spec());
        Pipeline q = Spec.parse("vflip,rotate:10:reflect@0.3,pca:0.1,jitter:0.4,hue:0.05,crop:0.5");
        assertEquals("vflip:0.5,rotate:10:reflect@0.3,pca:0.1,jitter:0.4,hue:0.05,crop:0.5-1", q.spec());
    }

    @Test
    void specErrorsNameTheStepAndTheProblem() {
        assertError("flip:0.5,blur:3", "unknown operation 'blur'", "known: flip");
        assertError("rotate:500", "rotate:500", "(0, 180]");
        assertError("crop:0.9-0.1", "0 < min <= max <= 1");
        assertError("color:2", "(0, 1]");
        assertError("rotate", "needs a value", "rotate:15");
        assertError("shear:lots", "must be a number", "'lots'");
        assertError("warp:0.1@1.5", "probability", "(0, 1]");
        assertError("rotate:10:wobbly", "unknown fill 'wobbly'");
        assertError("flip:0.5,,rotate:3", "empty step");
        assertError(" ", "empty augmentation spec");
    }

    private static void assertError(String spec, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Spec.parse(spec));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void theSameSeedGivesTheSameImageAndProbabilitiesHold() {
        Mat image = OperationsTest.pattern(32, 32);
        Pipeline p = Spec.parse(EXAMPLE + ",pca:0.1,jitter:0.3,hue:0.1");
        assertArrayEquals(Pixels.get(p.augment(image, new Random(7))), Pixels.get(p.augment(image, new Random(7))));
        assertFalse(java.util.Arrays.equals(Pixels.get(p.augment(image, new Random(7))),
                Pixels.get(p.augment(image, new Random(8)))));
        Pipeline flip = Spec.parse("flip:0.5");
        int fired = 0;
        for (int seed = 0; seed < 400; seed++) {
            fired += flip.augmentTraced(image, new Random(Seeds.mix(7, seed))).applied().size();
        }
        assertTrue(fired > 160 && fired < 240, "flip:0.5 fired " + fired + " times in 400");
        assertEquals(List.of("flip"), Spec.parse("flip:1").augmentTraced(image, new Random(1)).applied());
    }

    @Test
    void itWorksAsADataVecImageTransform() {
        OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        Mat image = OperationsTest.pattern(16, 16);
        ImageWritable out = Spec.parse("flip:1").transform(new ImageWritable(converter.convert(image)), new Random(1));
        Mat flipped = converter.convert(out.getFrame());
        assertEquals(OperationsTest.at(image, 3, 0, 0), OperationsTest.at(flipped, 3, 15, 0));
    }

    @Test
    void thePreviewIsAGridOfCaptionedTilesWrittenAtomically(@TempDir Path dir) throws IOException {
        List<Mat> images = List.of(OperationsTest.pattern(40, 30), OperationsTest.pattern(20, 50));
        List<List<Preview.Tile>> rows = Preview.rows(images, Spec.parse(EXAMPLE), 3, 42);
        assertEquals("original", rows.get(0).get(0).caption());
        Mat grid = Preview.render(rows);
        assertEquals(Preview.GAP + 4 * (Preview.TILE + Preview.GAP), grid.cols());
        assertEquals(Preview.GAP + 2 * (Preview.TILE + Preview.CAPTION + Preview.GAP), grid.rows());
        Path png = dir.resolve("preview.png");
        Preview.write(grid, png);
        Mat back = opencv_imgcodecs.imread(png.toString());
        assertEquals(grid.cols(), back.cols());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left");
        }
        assertArrayEquals(Pixels.get(Preview.render(Preview.rows(images, Spec.parse(EXAMPLE), 3, 42))),
                Pixels.get(grid), "the same seed must draw the same preview");
    }
}
