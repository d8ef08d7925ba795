package org.cnnzoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command that reads a file answers a bad one with a line naming it: exit 2, no stack trace. */
class BadFilesTest {

    @Test
    void badFilesEndInOneNamedLineForEveryCommand(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a model, an image, a tensor or weights");
        Path h5 = Files.writeString(dir.resolve("model.h5"), "not HDF5");
        Path json = Files.writeString(dir.resolve("model.json"), "{\"weightsManifest\": [}");
        Path npy = Files.writeString(dir.resolve("in.npy"), "\u0093NUMPY garbage");
        Path st = Files.write(dir.resolve("w.safetensors"), new byte[]{(byte) 200, 0, 0, 0, 0, 0, 0, 0, '{'});
        Path photos = TestPhotos.twoColours(dir.resolve("photos"));
        Path image = photos.resolve("bluish/1.jpg");
        List<String[]> commands = List.of(
                new String[]{"predict", "--model", h5.toString(), "--normalization", "unit", image.toString()},
                new String[]{"predict", "--model", json.toString(), "--normalization", "unit", image.toString()},
                new String[]{"predict", "--model", dir.resolve("run").toString(), text.toString()},
                new String[]{"infer", "--model", "resnet18", "--weights", st.toString(), "--tensor", npy.toString(),
                        "--out", dir.resolve("o.npy").toString()},
                new String[]{"weights", "verify", st.toString(), "--model", "resnet18"},
                new String[]{"weights", "import", text.toString(), "--out", dir.resolve("x.zip").toString()},
                new String[]{"transfer", "--model", h5.toString(), "--data", photos.toString(), "--out",
                        dir.resolve("t").toString()},
                new String[]{"search", "--model", text.toString(), "--input", "32,32,3", "--data", photos.toString(),
                        "--out", dir.resolve("s").toString()},
                new String[]{"dataset", text.toString()},
                new String[]{"summary", text.toString()},
                new String[]{"augment", "--image", text.toString(), "--ops", "flip:1", "--preview",
                        dir.resolve("p.png").toString()});
        for (String[] args : commands) {
            MainTest.Result r = MainTest.run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(Main.BAD_INPUT, r.code(), what);
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), "a stack trace: " + what);
            assertTrue(r.err().lines().filter(l -> !l.isBlank()).count() <= 3, "more than a few lines: " + what);
            assertTrue(List.of(text, h5, json, npy, st, dir.resolve("run")).stream().anyMatch(f -> r.err().contains(
                    f.getFileName().toString())), "the file is not named: " + what);
        }
    }
}
