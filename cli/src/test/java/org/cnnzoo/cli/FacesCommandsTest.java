package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.cnnzoo.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cnnzoo faces enroll / verify / identify} on real photos: LFW's Zico (three photos) and Ziwang Xu (Maven
 * dl4j-test-resources), scikit-image's astronaut (Eileen Collins), Darknet's person.jpg (no face face-api finds), and
 * a photo made of two of them side by side; and {@code cnnzoo embed} end to end.
 */
class FacesCommandsTest {
    static final Path FACE_API = DetectionCommandsTest.FACE_API;
    static final Path ASTRONAUT = DetectionCommandsTest.ASTRONAUT;
    static final Path PERSON = Path.of("/usr/share/darknet/data/person.jpg");

    @TempDir
    Path dir;

    /** The faces commands need face-api's weights and the photos; embed needs neither. */
    static void requirePhotos() {
        ExternalTools.require(Files.isDirectory(FACE_API), "face-api's package is missing (npm ci --prefix tools/reference/tfjs)");
        ExternalTools.require(Files.isRegularFile(ASTRONAUT), "scikit-image's photos are missing (apt-get install python3-skimage)");
        ExternalTools.require(Files.isRegularFile(PERSON), "Darknet's photos are missing (apt-get install darknet)");
    }

    Path lfw(String name, Path folder) throws Exception {
        Files.createDirectories(folder);
        Path to = folder.resolve(name + ".jpg");
        String person = name.substring(0, name.lastIndexOf('_'));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("lfwtest/" + person + "/" + name + ".jpg")) {
            Files.copy(in, to);
        }
        return to;
    }

    /** Two photos side by side, on a black canvas as high as the taller. */
    static Path sideBySide(Path a, Path b, Path to) throws Exception {
        BufferedImage left = ImageIO.read(a.toFile());
        BufferedImage right = ImageIO.read(b.toFile());
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        both.getGraphics().drawImage(left, 0, 0, null);
        both.getGraphics().drawImage(right, left.getWidth(), 0, null);
        ImageIO.write(both, "png", to.toFile());
        return to;
    }

    @Test
    void enrollVerifyAndIdentifyRealFaces() throws Exception {
        requirePhotos();
        String weights = FACE_API.toString();
        Path people = dir.resolve("people");
        lfw("Zico_0001", people.resolve("Zico"));
        lfw("Ziwang_Xu_0001", people);                       // face-api finds no face in this one
        Files.copy(ASTRONAUT, people.resolve("Eileen_Collins.png"));
        Path photos = dir.resolve("photos");
        Path zico2 = lfw("Zico_0002", photos);
        Path zico3 = lfw("Zico_0003", photos);
        Path two = sideBySide(zico3, ASTRONAUT, photos.resolve("two.png"));

        Path gallery = dir.resolve("gallery.json");
        MainTest.Result enrolled = run("faces", "enroll", "--weights", weights, "--gallery", people.toString(), "--out",
                gallery.toString());
        assertEquals(1, enrolled.code(), enrolled.err());   // a photo was left out, and said so
        assertTrue(enrolled.err().contains("Ziwang_Xu_0001.jpg: skipped, no face found"), enrolled.err());
        assertTrue(enrolled.out().contains("enrolled 2 people"), enrolled.out());
        JsonNode g = new ObjectMapper().readTree(gallery.toFile());
        assertEquals(2, g.get("people").size());
        assertEquals(128, g.get("people").get(0).get("descriptors").get(0).size());

        MainTest.Result same = run("faces", "verify", "--weights", weights, zico2.toString(), zico3.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains(": same person (threshold 0.60)"), same.out());
        MainTest.Result different = run("faces", "verify", "--weights", weights, "--json",
                dir.resolve("v.json").toString(), zico2.toString(), ASTRONAUT.toString());
        assertTrue(different.out().contains("different people"), different.out());
        double distance = new ObjectMapper().readTree(dir.resolve("v.json").toFile()).get("distance").asDouble();
        assertTrue(distance > 0.6, "Zico against the astronaut: " + distance);
        MainTest.Result none = run("faces", "verify", "--weights", weights, zico2.toString(), PERSON.toString());
        assertEquals(1, none.code());
        assertTrue(none.out().contains("person.jpg: no face found"), none.out());
        MainTest.Result several = run("faces", "verify", "--weights", weights, two.toString(), zico2.toString());
        assertEquals(1, several.code());
        assertTrue(several.out().contains("two.png: 2 faces found"), several.out());

        Path out = dir.resolve("out");
        MainTest.Result named = run("faces", "identify", "--weights", weights, "--gallery", gallery.toString(),
                "--out", out.toString(), zico2.toString(), two.toString(), PERSON.toString());
        assertEquals(0, named.code(), named.err());
        assertTrue(named.out().contains("Zico_0002.jpg: 1 face(s): Zico 0."), named.out());
        assertTrue(named.out().contains("person.jpg: no face found"), named.out());
        JsonNode both = new ObjectMapper().readTree(out.resolve("two.json").toFile()).get("faces");
        assertEquals(2, both.size());
        java.util.Set<String> names = new java.util.HashSet<>();
        both.forEach(f -> names.add(f.get("name").asText()));
        assertEquals(java.util.Set.of("Zico", "Eileen_Collins"), names);
        assertTrue(Files.size(out.resolve("two.png")) > 10_000);
        assertEquals(0, new ObjectMapper().readTree(out.resolve("person.json").toFile()).get("faces").size());

        // a stricter threshold than the pair's distance turns the match into "unknown"
        MainTest.Result strict = run("faces", "identify", "--weights", weights, "--gallery", gallery.toString(),
                "--threshold", "0.1", "--out", dir.resolve("strict").toString(), zico2.toString());
        assertTrue(strict.out().contains("unknown 0."), strict.out());
        MainTest.Result again = run("faces", "identify", "--weights", weights, "--gallery", gallery.toString(),
                "--out", out.toString(), zico2.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("exists") && again.err().contains("--overwrite"), again.err());
        MainTest.Result notAGallery = run("faces", "identify", "--weights", weights, "--gallery", zico2.toString(),
                "--out", dir.resolve("x").toString(), zico2.toString());
        assertEquals(2, notAGallery.code());
        assertTrue(notAGallery.err().contains("is not a gallery"), notAGallery.err());
        assertFalse(notAGallery.err().contains("\tat "), notAGallery.err());
    }

    @Test
    void embedTrainsOnSomeClassesAndMeasuresTheOthers() throws Exception {
        Path out = dir.resolve("emb");
        MainTest.Result r = run("embed", "--model", "lenet5", "--data", "embedded", "--loss", "triplet", "--mining",
                "hard", "--epochs", "1", "--episodes", "50", "--cache", dir.resolve("cache").toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("one-shot on unseen classes [Sandal, Shirt, Sneaker, Bag, Ankle boot]"), r.out());
        assertTrue(r.out().contains("triplet(margin=0.2, mining=hard)") && r.out().contains("raw pixels (baseline)"),
                r.out());
        assertTrue(Files.isRegularFile(out.resolve("metrics.json")));
        // that run trained on further with the triplet loss (soft margin, semi-hard) and a classifier beside it
        MainTest.Result further = run("embed", "--model", out.toString(), "--data", "embedded", "--loss",
                "triplet+softmax", "--margin", "soft", "--mining", "semi-hard", "--epochs", "1", "--episodes", "50",
                "--out", dir.resolve("further").toString());
        assertEquals(0, further.code(), further.err());
        assertTrue(further.out().contains("embedding (triplet(margin=soft, mining=semi-hard) + softmax classifier,"
                + " from triplet(margin=0.2, mining=hard))"), further.out());
        MainTest.Result notANumber = run("embed", "--model", "lenet5", "--data", "embedded", "--loss", "contrastive",
                "--margin", "soft", "--out", dir.resolve("bad").toString());
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("--margin is a positive number, or 'soft' with --loss triplet"),
                notANumber.err());
        MainTest.Result views = run("embed", "--model", "lenet5", "--data", "embedded", "--loss", "softmax",
                "--views", "crop:0.8-1.0", "--out", dir.resolve("bad").toString());
        assertEquals(2, views.code());
        assertTrue(views.err().contains("--views goes with --loss triplet"), views.err());
        MainTest.Result bad = run("embed", "--model", "lenet5", "--data", "embedded", "--loss", "softmax", "--margin",
                "0.3", "--out", dir.resolve("bad").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--margin goes with"), bad.err());
    }
}
