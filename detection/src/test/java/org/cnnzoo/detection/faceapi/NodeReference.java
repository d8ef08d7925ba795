package org.cnnzoo.detection.faceapi;

import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.zoo.ExternalTools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the checks against face-api in node share: where the reference scripts and face-api's weights are, the real
 * photos with faces, and pictures handed to node as raw bytes so that both sides see the same pixels.
 */
public final class NodeReference {
    public static final Path TFJS = Path.of("..", "tools", "reference", "tfjs").toAbsolutePath().normalize();
    public static final Path MODEL = TFJS.resolve("node_modules/@vladmandic/face-api/model");
    public static final Path ASTRONAUT = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
    public static final Path PERSON = Path.of("/usr/share/darknet/data/person.jpg");

    private NodeReference() {
    }

    /** An LFW photo of Maven's dl4j-test-resources ({@code lfwtest/NAME/NAME_0001.jpg}), copied into {@code dir}. */
    public static RgbImage lfw(String resource, Path dir) throws IOException {
        Path copy = dir.resolve(Path.of(resource).getFileName());
        try (java.io.InputStream in = NodeReference.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path (Maven dl4j-test-resources 0.4.0)");
            }
            java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return RgbImage.read(copy);
    }

    /**
     * Runs a reference script of tools/reference/tfjs on pictures handed over as .npy files in {@code dir}:
     * {@code node SCRIPT dir/reference.json ARGS... NAME.npy...}, and reads what it wrote.
     */
    public static com.fasterxml.jackson.databind.JsonNode run(Path dir, String script, java.util.List<String> args,
                                                              java.util.Map<String, RgbImage> images)
            throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("node", script,
                dir.resolve("reference.json").toString()));
        command.addAll(args);
        for (java.util.Map.Entry<String, RgbImage> e : images.entrySet()) {
            Path npy = dir.resolve(e.getKey() + ".npy");
            writeBytes(npy, e.getValue());
            command.add(npy.toString());
        }
        ExternalTools.run(TFJS, 5, command);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("reference.json").toFile());
    }

    /** Why the reference cannot run here, with what to install; null when it can. */
    public static String missing() {
        return !(ExternalTools.succeeds("node", "--version") && Files.isDirectory(MODEL))
                ? "node and the reference's npm packages are missing (npm ci --prefix tools/reference/tfjs)"
                : !Files.isRegularFile(ASTRONAUT) ? "scikit-image's photos are missing (apt-get install python3-skimage)"
                : !Files.isRegularFile(PERSON) ? "Darknet's photos are missing (apt-get install darknet)" : null;
    }

    /** A picture as a uint8 .npy array (height, width, 3): the bytes node reads. */
    public static void writeBytes(Path file, RgbImage image) throws IOException {
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + image.height() + ", " + image.width()
                + ", 3), }";
        int padded = ((10 + header.length() + 1 + 63) / 64) * 64 - 10;
        StringBuilder h = new StringBuilder(header);
        while (h.length() < padded - 1) {
            h.append(' ');
        }
        h.append('\n');
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + head.length + image.pixels().length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
        out[6] = 1;
        out[8] = (byte) (head.length & 0xFF);
        out[9] = (byte) (head.length >> 8);
        System.arraycopy(head, 0, out, 10, head.length);
        System.arraycopy(image.pixels(), 0, out, 10 + head.length, image.pixels().length);
        Files.write(file, out);
    }
}
