package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.cnnzoo.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cnnzoo style} end to end on real photos (scikit-image's astronaut, opencv-doc's Starry Night and fruits)
 * with nsfwjs's MobileNet v2 unpacked from npm: the picture, its snapshots, the cost plot and record, and the
 * refusals.
 */
class StyleCommandTest {
    static final Path TFJS = Path.of("..", "tools", "reference", "tfjs").toAbsolutePath().normalize();
    static final Path ASTRONAUT = DetectionCommandsTest.ASTRONAUT;
    static final Path STARRY_NIGHT = Path.of("/usr/share/doc/opencv-doc/examples/data/starry_night.jpg");
    static final Path FRUITS = Path.of("/usr/share/doc/opencv-doc/examples/data/fruits.jpg");

    @TempDir
    Path dir;

    Path network() throws Exception {
        ExternalTools.require(ExternalTools.succeeds("node", "--version")
                        && Files.isDirectory(TFJS.resolve("node_modules/nsfwjs")),
                "node and the reference's npm packages are missing (npm ci --prefix tools/reference/tfjs)");
        ExternalTools.require(Files.isRegularFile(ASTRONAUT), "scikit-image's photos are missing (apt-get install python3-skimage)");
        ExternalTools.require(Files.isRegularFile(STARRY_NIGHT) && Files.isRegularFile(FRUITS),
                "opencv-doc's photos are missing (apt-get install opencv-doc)");
        ExternalTools.run(TFJS, 5, List.of("node", "unpack_nsfwjs.js", dir.resolve("nsfwjs").toString()));
        return dir.resolve("nsfwjs/model.json");
    }

    @Test
    void stylesARealPhotoWithTheOfflineNetwork() throws Exception {
        Path model = network();
        Path out = dir.resolve("out/astronaut.png");
        MainTest.Result r = run("style", "--content", ASTRONAUT.toString(), "--style", STARRY_NIGHT.toString(),
                "--style", FRUITS.toString(), "--style-weights", "0.8,0.2", "--network", model.toString(),
                "--normalization", "symmetric", "--size", "64", "--steps", "6", "--beta", "1000",
                "--snapshot-every", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("layers: content block_8_add"), r.err());
        assertTrue(r.err().contains("J = 10.0 J_content + 1000.0 J_style + 0.005 TV"), r.err()); // --beta over the preset
        assertTrue(r.err().contains("step 6/6: J "), r.err());
        assertTrue(r.out().contains("wrote " + out + " (64x64)"), r.out());
        assertTrue(r.out().contains("J_style"), r.out());
        BufferedImage picture = ImageIO.read(out.toFile());
        assertEquals(64, picture.getWidth());
        assertEquals(64, picture.getHeight());
        assertTrue(Files.isRegularFile(dir.resolve("out/astronaut-step0000.png")));
        assertTrue(Files.isRegularFile(dir.resolve("out/astronaut-step0003.png")));
        assertFalse(Files.exists(dir.resolve("out/astronaut-step0006.png")), "the last step is the picture itself");
        assertTrue(ImageIO.read(dir.resolve("out/astronaut-costs.png").toFile()).getWidth() > 0);
        JsonNode record = new ObjectMapper().readTree(dir.resolve("out/astronaut-costs.json").toFile());
        assertEquals(7, record.get("steps").size());
        assertEquals(0.8, record.get("styleWeights").get(0).asDouble());
        assertTrue(record.get("steps").get(6).get("total").asDouble() < record.get("steps").get(0).get("total").asDouble());

        MainTest.Result again = run("style", "--content", ASTRONAUT.toString(), "--style", STARRY_NIGHT.toString(),
                "--network", model.toString(), "--normalization", "symmetric", "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists: give --overwrite"), again.err());
        Files.delete(out);   // the picture gone, its cost record still there: refused too
        MainTest.Result beside = run("style", "--content", ASTRONAUT.toString(), "--style", STARRY_NIGHT.toString(),
                "--network", model.toString(), "--normalization", "symmetric", "--out", out.toString());
        assertEquals(2, beside.code());
        assertTrue(beside.err().contains("astronaut-costs.png already exists"), beside.err());

        // chosen layers, weighted
        MainTest.Result chosen = run("style", "--content", ASTRONAUT.toString(), "--style", STARRY_NIGHT.toString(),
                "--network", model.toString(), "--normalization", "symmetric", "--size", "48", "--steps", "1",
                "--content-layer", "block_3_expand_relu", "--style-layers", "Conv1_relu:0.5,block_1_expand_relu:0.5",
                "--out", dir.resolve("chosen.png").toString());
        assertEquals(0, chosen.code(), chosen.err());
        assertTrue(chosen.err().contains("content block_3_expand_relu; style [Conv1_relu 0.500, block_1_expand_relu 0.500]"),
                chosen.err());
    }

    @Test
    void saysWhatIsWrongWithTheArguments() throws Exception {
        Path model = network();
        String content = ASTRONAUT.toString();
        String style = STARRY_NIGHT.toString();
        String out = dir.resolve("x.png").toString();
        assertRefused("needs --normalization", run("style", "--content", content, "--style", style, "--network",
                model.toString(), "--out", out), "give --normalization");
        assertRefused("two weights for one style", run("style", "--content", content, "--style", style,
                "--style-weights", "0.5,0.5", "--network", model.toString(), "--normalization", "symmetric", "--out",
                out), "--style-weights has 2 values for 1 --style images");
        assertRefused("unknown layer", run("style", "--content", content, "--style", style, "--network",
                model.toString(), "--normalization", "symmetric", "--content-layer", "block_99", "--out", out),
                "no vertex named 'block_99'");
        assertRefused("not a png", run("style", "--content", content, "--style", style, "--out",
                dir.resolve("x.jpg").toString()), "must be a .png file");
        assertRefused("missing photo", run("style", "--content", dir.resolve("none.jpg").toString(), "--style", style,
                "--out", out), "none.jpg is not a file");
        assertRefused("size", run("style", "--content", content, "--style", style, "--network", model.toString(),
                "--normalization", "symmetric", "--size", "100000", "--out", out), "--size must be between 16 and 2048");
        Path notAnImage = Files.writeString(dir.resolve("fake.jpg"), "not a picture");
        assertRefused("not an image", run("style", "--content", notAnImage.toString(), "--style", style, "--network",
                model.toString(), "--normalization", "symmetric", "--out", out), "fake.jpg");
        assertFalse(Files.exists(dir.resolve("x.png")), "nothing written when refused");
    }

    static void assertRefused(String why, MainTest.Result r, String message) {
        assertEquals(2, r.code(), why + ": " + r.err());
        assertTrue(r.err().contains(message), why + ": " + r.err());
        assertFalse(r.err().contains("\tat "), why + ": no stack trace");
    }
}
