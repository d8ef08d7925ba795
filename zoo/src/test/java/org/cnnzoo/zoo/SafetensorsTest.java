package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.ResNet;
import org.cnnzoo.zoo.weights.Npy;
import org.cnnzoo.zoo.weights.Safetensors;
import org.cnnzoo.zoo.weights.Tensor;
import org.cnnzoo.zoo.weights.StateDictLoader;
import org.cnnzoo.zoo.weights.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file written by hand: one F16 and one BF16 tensor. */
    @Test
    void halfAndBfloat16TensorsAreRead() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},\"__metadata__\":{\"format\":\"pt\"}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        buf.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7BFF).putShort((short) 0x0001);
        buf.putShort((short) 0x3F80).putShort((short) 0xC0A0);          // bf16 1.0 and -5.0
        Path file = Files.write(dir.resolve("x.safetensors"), buf.array());
        Map<String, Tensor> t = Safetensors.read(file);
        assertArrayEquals(new float[]{1f, -2f, 65504f, 0x1p-24f}, t.get("h").values());
        assertArrayEquals(new float[]{1f, -5f}, t.get("b").values());
    }

    @Test
    void damagedFilesAreClearErrors() throws IOException {
        Map<String, Tensor> one = new LinkedHashMap<>();
        one.put("w", new Tensor(new long[]{2, 3}, new float[]{1, 2, 3, 4, 5, 6}));
        Path file = dir.resolve("ok.safetensors");
        Safetensors.write(file, one);
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, Safetensors.read(file).get("w").values());
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 4));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("outside the file"), e.getMessage());
        Path junk = Files.write(dir.resolve("junk.safetensors"), "hello".getBytes());
        assertThrows(IOException.class, () -> Safetensors.read(junk));
    }

    @Test
    void mismatchedWeightsAreReportedAllAtOnce() throws IOException {
        var r18 = ResNet.resnet18().init();
        Map<String, Tensor> state = new LinkedHashMap<>();
        var gen = new CounterGenerator(1);
        for (var e : org.cnnzoo.zoo.weights.StateDictLayout.of(ResNet.resnet34().build())) {
            state.put(e.key(), gen.tensor(e.key(), e.shape().stream().mapToLong(Long::longValue).toArray()));
        }
        state.put("fc.weight", new Tensor(new long[]{10, 512}, new float[5120]));
        IllegalArgumentException err = assertThrows(IllegalArgumentException.class,
                () -> StateDictLoader.load(r18, state, false));
        assertTrue(err.getMessage().contains("unexpected layer3.5.conv1.weight"), err.getMessage());
        assertTrue(err.getMessage().contains("shape of fc.weight: file [10, 512], network [1000, 512]"), err.getMessage());
        IOException missing = assertThrows(IOException.class, () -> Weights.load(r18, dir.resolve("none.safetensors")));
        assertTrue(missing.getMessage().contains("none.safetensors"), missing.getMessage());
    }

    @Test
    void npyRoundTripsAndImageNetNamesAreThere() throws IOException {
        INDArray a = Nd4j.rand(2, 3, 4, 5);
        Path file = dir.resolve("a.npy");
        Npy.write(file, a);
        assertEquals(a, Npy.read(file));
        assertEquals(1000, Weights.IMAGENET_CLASSES.size());
        assertEquals("tabby, tabby cat", Weights.IMAGENET_CLASSES.get(281));
    }
}
