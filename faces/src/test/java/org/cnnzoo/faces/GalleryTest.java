package org.cnnzoo.faces;

import org.cnnzoo.detection.faceapi.NodeReference;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Galleries: matching as face-api's FaceMatcher, files checked when read, folders read only inside themselves. */
class GalleryTest {
    @TempDir
    Path dir;

    static float[] at(float... head) {
        float[] d = new float[128];
        System.arraycopy(head, 0, d, 0, head.length);
        return d;
    }

    @Test
    void aFaceIsNamedByTheMeanDistanceUnderTheThreshold() throws Exception {
        Gallery g = new Gallery("test", 0.6, List.of(
                new Gallery.Person("a", List.of("a1", "a2"), List.of(at(0, 0), at(0.4f, 0))),
                new Gallery.Person("b", List.of("b1"), List.of(at(1, 0)))));
        Gallery.Match m = g.match(at(0.1f, 0));
        assertEquals("a", m.label());
        assertEquals((0.1 + 0.3) / 2, m.distance(), 1e-6);           // the mean over a's two photos
        Gallery.Match far = g.match(at(0, 5));
        assertFalse(far.known());
        assertEquals("unknown", far.label());
        Path file = dir.resolve("g.json");
        g.write(file);
        Gallery back = Gallery.read(file);
        assertEquals(g.people().size(), back.people().size());
        assertEquals(m, back.match(at(0.1f, 0)));
    }

    @Test
    void galleryFilesAreChecked() throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> Gallery.read(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("cnnzoo faces enroll"), missing.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.json"), "{\"people\": [");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gallery.read(junk)).getMessage()
                .contains("is not a gallery"));
        Path shortOne = Files.writeString(dir.resolve("short.json"), "{\"descriptors\":\"x\",\"threshold\":0.6,"
                + "\"people\":[{\"name\":\"a\",\"photos\":[],\"descriptors\":[[1,2,3]]}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gallery.read(shortOne)).getMessage()
                .contains("3 numbers, not 128"));
        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"descriptors\":\"x\",\"threshold\":0.6,\"people\":[]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gallery.read(empty)).getMessage()
                .contains("holds nobody"));
    }

    @Test
    void enrolmentReadsOnlyInsideItsFolder() throws Exception {
        ExternalTools.require(NodeReference.missing() == null, NodeReference.missing());
        FacePipeline pipeline = FacePipeline.load(NodeReference.MODEL);
        Path people = Files.createDirectories(dir.resolve("people"));
        Files.copy(NodeReference.ASTRONAUT, people.resolve("Eileen_Collins.png"));
        Path outside = Files.copy(NodeReference.ASTRONAUT, dir.resolve("secret.png"));
        Files.createSymbolicLink(people.resolve("Intruder.png"), outside);
        List<String> warnings = new ArrayList<>();
        Gallery g = Gallery.enroll(people, pipeline, 0.6, warnings::add);
        assertEquals(List.of("Eileen_Collins"), g.people().stream().map(Gallery.Person::name).toList());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("Intruder.png") && w.contains("outside the gallery")),
                warnings.toString());
        Path none = Files.createDirectories(dir.resolve("nobody"));
        assertThrows(IllegalArgumentException.class, () -> Gallery.enroll(none, pipeline, 0.6, warnings::add));
    }
}
