package org.cnnzoo.zoo.weights;

import org.cnnzoo.zoo.imports.KerasH5;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed .npy and non-HDF5 files end in one message naming the file, never in a trace or a huge allocation. */
class HostileFilesTest {
    @TempDir
    Path dir;

    private Path npy(int version, String header, int headerLengthField, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
        if (version == 1) {
            b.putShort((short) headerLengthField);
        } else {
            b.putInt(headerLengthField);
        }
        b.put(h).put(data);
        Path file = dir.resolve("x" + System.nanoTime() + ".npy");
        Files.write(file, Arrays.copyOf(b.array(), b.position()));
        return file;
    }

    private String failure(Path file) {
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void malformedNpyFilesAreNamedErrors() throws Exception {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }";
        byte[] two = new byte[8];
        assertArrayEquals(new long[]{1, 2}, Npy.read(npy(1, header, header.length(), two)).shape());
        assertArrayEquals(new long[]{1, 2}, Npy.read(npy(2, header, header.length(), two)).shape());
        assertTrue(failure(npy(1, header, 60000, two)).contains("header claims 60000 bytes"));
        assertTrue(failure(npy(2, header, -5, two)).contains("header claims"));
        assertTrue(failure(npy(1, header, header.length(), new byte[5])).contains("needs 8 bytes of data"));
        assertTrue(failure(npy(1, header.replace("(1, 2)", "(-1, 2)"), header.length() + 1, two)).contains("negative"));
        assertTrue(failure(npy(1, header.replace("(1, 2)", "(0,)"), header.length() - 2, two)).contains("empty"));
        assertTrue(failure(npy(1, header.replace("(1, 2)", "(100000, 100000, 100000)"), header.length() + 20, two))
                .contains("more than 2^31"));
        assertTrue(failure(npy(7, header, header.length(), two)).contains("version 7"));
        Nd4j.create(1);   // the backend is loaded, so a failure above was not a class-loading accident
    }

    @Test
    void aFileThatIsNotHdf5IsSaidToBeSo() throws Exception {
        Path fake = Files.writeString(dir.resolve("model.h5"), "this is not an HDF5 file at all, just text");
        IOException e = assertThrows(IOException.class, () -> KerasH5.load(fake));
        assertTrue(e.getMessage().contains("is not an HDF5 file") && e.getMessage().contains(fake.toString()), e.getMessage());
    }

    private Path safetensors(String header, float... values) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (float v : values) {
            b.putFloat(v);
        }
        Path file = dir.resolve("w" + System.nanoTime() + ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    /** A damaged or crafted safetensors header is reported with the file and the tensor, never read through. */
    @Test
    void damagedSafetensorsHeadersAreNamed() throws Exception {
        String good = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        assertTrue(Safetensors.read(safetensors(good, 1, 2, 3, 4)).containsKey("b"));
        String[][] cases = {
                {good.replace("\"dtype\":\"F32\",", ""), "lacks a dtype"},
                {good.replace("[8,16]", "[4,12]"), "overlap"},
                {good.replace("[2],\"data_offsets\":[0,8]", "[-2],\"data_offsets\":[0,8]"), "whole numbers from 0 up"},
        };
        for (String[] c : cases) {
            Path file = safetensors(c[0], 1, 2, 3, 4);
            IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(file.toString()), e.getMessage());
        }
        Path nan = safetensors(good, 1, Float.NaN, 3, 4);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(nan));
        assertTrue(e.getMessage().contains("tensor a holds NaN"), e.getMessage());
    }
}
