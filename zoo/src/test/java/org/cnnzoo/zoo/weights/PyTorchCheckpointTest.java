package org.cnnzoo.zoo.weights;

import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PyTorch checkpoints: files written by Debian's torch (tools/reference/pytorch_checkpoint_cases.py) read to the
 * last value in both formats, and crafted pickles that name code, or lengths and views beyond their data, refused.
 */
class PyTorchCheckpointTest {
    @TempDir
    Path dir;

    private Path torchCases() throws Exception {
        return ExternalTools.reference(ExternalTools.Needs.TORCHVISION, "pytorch_checkpoint_cases.py",
                dir.resolve("cases"), 5);
    }

    private static float[] ramp(int n, double start, double step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (start + i * step);
        }
        return v;
    }

    private static void checkPlain(Map<String, Tensor> t) {
        assertArrayEquals(new long[]{2, 3}, t.get("f32").shape());
        assertArrayEquals(ramp(6, 0, 0.5), t.get("f32").values());
        assertArrayEquals(ramp(4, -1, 0.25), t.get("f16").values());
        assertArrayEquals(ramp(4, 2, 0.5), t.get("bf16").values());
        assertArrayEquals(ramp(3, 0.1, 0.1), t.get("f64").values(), 1e-7f);
        assertArrayEquals(new float[]{7, 8, 9}, t.get("i64").values());
        // grid is 3x4 of 0, 0.5, ...; its transpose reads by columns, row 1 starts at offset 4
        assertArrayEquals(new long[]{4, 3}, t.get("transposed").shape());
        assertArrayEquals(new float[]{0, 2, 4, 0.5f, 2.5f, 4.5f, 1, 3, 5, 1.5f, 3.5f, 5.5f}, t.get("transposed").values());
        assertArrayEquals(new float[]{2, 2.5f, 3, 3.5f}, t.get("row").values());
        assertArrayEquals(ramp(12, 0, 0.5), t.get("grid").values());
        assertArrayEquals(new long[0], t.get("scalar").shape());
        assertArrayEquals(new float[]{3.5f}, t.get("scalar").values());
    }

    @Test
    void torchsOwnFilesReadExactlyInBothFormats() throws Exception {
        Path cases = torchCases();
        for (String name : List.of("plain", "wrapped", "module", "legacy")) {
            Path file = cases.resolve(name + ".pth");
            assertEquals(WeightFormat.PYTORCH, WeightFormat.of(file), name);
            Map<String, Tensor> t = PyTorchCheckpoint.read(file);
            assertEquals(9, t.size(), name + ": " + t.keySet());
            checkPlain(t);
        }
        assertArrayEquals(ramp(4, 0, 0.5), PyTorchCheckpoint.read(cases.resolve("parameters.pth")).get("w").values());
    }

    // ------------------------------------------------------------------ crafted pickles (no Python needed)

    /** Pickle bytes from pieces: strings as latin-1 opcodes, byte arrays as they are. */
    private static byte[] pickle(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof byte[] raw ? raw : ((String) p).getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static byte[] unicode(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(5 + utf8.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'X').putInt(utf8.length).put(utf8);
        return b.array();
    }

    private Path zip(String name, byte[] data, Map<String, byte[]> storages) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(data);
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                zip.putNextEntry(new ZipEntry("archive/data/" + s.getKey()));
                zip.write(s.getValue());
            }
        }
        return file;
    }

    @Test
    void aPickleNamingCodeIsRefusedAndNothingRuns() throws Exception {
        Path marker = dir.resolve("ran");
        // os.system("touch MARKER"), the classic pickle exploit, in protocol 2 (GLOBAL) and 4 (STACK_GLOBAL)
        byte[] global = pickle("\u0080\u0002cos\nsystem\n", unicode("touch " + marker), "\u0085R.");
        byte[] stackGlobal = pickle("\u0080\u0004", "\u008c\u0002os", "\u008c\u0006system", "\u0093",
                unicode("touch " + marker), "\u0085R.");
        for (byte[] data : List.of(global, stackGlobal)) {
            Path file = zip("evil.pth", data, Map.of());
            assertEquals(WeightFormat.PYTORCH, WeightFormat.of(file));
            IOException e = assertThrows(IOException.class, () -> PyTorchCheckpoint.read(file));
            assertTrue(e.getMessage().contains("os.system") && e.getMessage().contains("refused"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertFalse(Files.exists(marker), "something ran");
        }
        // the same after a legacy header: magic number, protocol 1001, system info
        byte[] magic = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
                0x6a, (byte) 0xa8, 0x50, 0x19, '.'};
        Path legacy = dir.resolve("legacy-evil.pth");
        Files.write(legacy, pickle(magic, "\u0080\u0002M\u00e9\u0003.", "\u0080\u0002}.", global));
        assertEquals(WeightFormat.PYTORCH, WeightFormat.of(legacy));
        IOException e = assertThrows(IOException.class, () -> PyTorchCheckpoint.read(legacy));
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        // a builtin that Pyrolite would otherwise map to a harmless dictionary is refused all the same
        Path eval = zip("eval.pth", pickle("\u0080\u0002c__builtin__\neval\n", unicode("1"), "\u0085R."), Map.of());
        assertTrue(assertThrows(IOException.class, () -> PyTorchCheckpoint.read(eval)).getMessage()
                .contains("__builtin__.eval"));
        assertFalse(Files.exists(marker));
    }

    /** A state dict {"w": tensor of {@code size} values viewing a storage of 4 floats}. */
    private static byte[] oneTensor(int size, byte[] lengthTrick) {
        return pickle("\u0080\u0002ccollections\nOrderedDict\n)R", unicode("w"),
                "ctorch._utils\n_rebuild_tensor_v2\n(", "(", unicode("storage"), "ctorch\nFloatStorage\n",
                unicode("0"), unicode("cpu"), "K\u0004tQ", "K\u0000", "K" + (char) size + "\u0085", "K\u0001\u0085",
                "\u0089ccollections\nOrderedDict\n)R", lengthTrick, "tRs.");
    }

    @Test
    void lengthsAndViewsBeyondTheDataAreRefusedBeforeAllocation() throws Exception {
        byte[] four = new byte[16];
        Path fits = zip("fits.pth", oneTensor(4, new byte[0]), Map.of("0", four));
        assertEquals(4, PyTorchCheckpoint.read(fits).get("w").values().length);

        Path past = zip("past.pth", oneTensor(8, new byte[0]), Map.of("0", four));
        IOException e = assertThrows(IOException.class, () -> PyTorchCheckpoint.read(past));
        assertTrue(e.getMessage().contains("reaches past its storage"), e.getMessage());

        // BINBYTES announcing 2 GB inside a 200-byte pickle
        byte[] huge = pickle("B", new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, "0");
        Path lying = zip("lying.pth", oneTensor(4, huge), Map.of("0", four));
        e = assertThrows(IOException.class, () -> PyTorchCheckpoint.read(lying));
        assertTrue(e.getMessage().contains("announces 2147483647 bytes"), e.getMessage());

        Path missing = zip("missing.pth", oneTensor(4, new byte[0]), Map.of());
        e = assertThrows(IOException.class, () -> PyTorchCheckpoint.read(missing));
        assertTrue(e.getMessage().contains("storage 0"), e.getMessage());

        Path shortStorage = zip("short.pth", oneTensor(4, new byte[0]), Map.of("0", new byte[8]));
        e = assertThrows(IOException.class, () -> PyTorchCheckpoint.read(shortStorage));
        assertTrue(e.getMessage().contains("has 8 bytes"), e.getMessage());
    }

    @Test
    void filesThatAreNotCheckpointsSaySo() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.pth"), "hello, not a checkpoint");
        IOException e = assertThrows(IOException.class, () -> WeightFormat.of(text));
        assertTrue(e.getMessage().contains("PyTorch checkpoint (.pth)"), e.getMessage());
        Path zip = zip("other.zip", new byte[0], Map.of());
        Files.delete(zip);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
        }
        e = assertThrows(IOException.class, () -> WeightFormat.of(zip));
        assertTrue(e.getMessage().contains("neither a PyTorch checkpoint"), e.getMessage());
    }
}
