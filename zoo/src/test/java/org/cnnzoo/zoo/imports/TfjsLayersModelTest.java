package org.cnnzoo.zoo.imports;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TF.js reader on a model small enough to work out by hand: a Dense layer with uint16 and float16 weights. */
class TfjsLayersModelTest {
    @TempDir
    Path dir;

    private static final String TOPOLOGY = "{\"keras_version\":\"2.2.4\",\"backend\":\"tensorflow\",\"model_config\":"
            + "{\"class_name\":\"Model\",\"config\":{\"name\":\"m\",\"layers\":["
            + "{\"name\":\"in\",\"class_name\":\"InputLayer\",\"config\":{\"batch_input_shape\":[null,3],"
            + "\"dtype\":\"float32\",\"sparse\":false,\"name\":\"in\"},\"inbound_nodes\":[]},"
            + "{\"name\":\"d\",\"class_name\":\"Dense\",\"config\":{\"name\":\"d\",\"trainable\":true,\"units\":2,"
            + "\"activation\":\"linear\",\"use_bias\":true,\"kernel_initializer\":{\"class_name\":\"Zeros\",\"config\":{}},"
            + "\"bias_initializer\":{\"class_name\":\"Zeros\",\"config\":{}},\"kernel_regularizer\":null,"
            + "\"bias_regularizer\":null,\"activity_regularizer\":null,\"kernel_constraint\":null,\"bias_constraint\":null},"
            + "\"inbound_nodes\":[[[\"in\",0,0,{}]]]}],\"input_layers\":[[\"in\",0,0]],\"output_layers\":[[\"d\",0,0]]}}}";

    private Path model(String manifest, byte[] shard) throws IOException {
        Files.write(dir.resolve("w.bin"), shard);
        Path json = dir.resolve("model.json");
        Files.writeString(json, "{\"modelTopology\":" + TOPOLOGY + ",\"weightsManifest\":" + manifest + "}");
        return json;
    }

    private static final String MANIFEST = "[{\"paths\":[\"w.bin\"],\"weights\":["
            + "{\"name\":\"d/kernel\",\"shape\":[3,2],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"uint16\","
            + "\"scale\":0.5,\"min\":-1}},"
            + "{\"name\":\"d/bias\",\"shape\":[2],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"float16\"}}]}]";

    /** kernel q = 0..5 (values -1, -0.5, 0, 0.5, 1, 1.5 in row-major [in, out]); bias 0.25 and -2 as float16. */
    private static byte[] shard() {
        ByteBuffer b = ByteBuffer.allocate(6 * 2 + 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int q = 0; q < 6; q++) {
            b.putShort((short) q);
        }
        b.putShort((short) 0x3400);   // 0.25
        b.putShort((short) 0xC000);   // -2
        return b.array();
    }

    @Test
    void uint16AndFloat16WeightsLandInDl4jsLayout() throws Exception {
        ComputationGraph net = TfjsLayersModel.load(model(MANIFEST, shard()));
        // y = x W + b with W = [[-1, -0.5], [0, 0.5], [1, 1.5]], b = [0.25, -2]
        float[] y = net.outputSingle(Nd4j.createFromArray(new float[][]{{1, 2, 3}})).toFloatVector();
        assertArrayEquals(new float[]{-1 + 0 + 3 + 0.25f, -0.5f + 1 + 4.5f - 2}, y, 1e-6f);
    }

    @Test
    void mismatchesAreNamed() throws Exception {
        Path json = model(MANIFEST, shard());
        Files.delete(dir.resolve("w.bin"));
        IOException e = assertThrows(IOException.class, () -> TfjsLayersModel.load(json));
        assertTrue(e.getMessage().contains("w.bin") && e.getMessage().contains("does not exist"), e.getMessage());

        byte[] longer = java.util.Arrays.copyOf(shard(), shard().length + 4);
        e = assertThrows(IOException.class, () -> TfjsLayersModel.load(model(MANIFEST, longer)));
        assertTrue(e.getMessage().contains("hold 20 bytes but its tensors take 16"), e.getMessage());

        byte[] shorter = java.util.Arrays.copyOf(shard(), 10);
        e = assertThrows(IOException.class, () -> TfjsLayersModel.load(model(MANIFEST, shorter)));
        assertTrue(e.getMessage().contains("hold 10 bytes but its tensors take 16"), e.getMessage());

        String renamed = MANIFEST.replace("d/bias", "e/bias");
        e = assertThrows(IOException.class, () -> TfjsLayersModel.load(model(renamed, shard())));
        assertTrue(e.getMessage().contains("weights of no layer: [e]"), e.getMessage());

        Files.writeString(json, "{\"format\":\"graph-model\",\"modelTopology\":{}}");
        e = assertThrows(IOException.class, () -> TfjsLayersModel.load(json));
        assertTrue(e.getMessage().contains("is not a TF.js layers model"), e.getMessage());
    }

    /**
     * A manifest is hostile input: shard paths that climb out, are absolute, or lead out through a link are
     * refused before anything is read, and so are repeated shards and shapes that declare more than can be held.
     */
    @Test
    void manifestsCannotReadOutsideTheirFolderNorDeclareHugeTensors() throws Exception {
        Path outside = dir.getParent().resolve(dir.getFileName() + "-secret.bin");
        Files.write(outside, shard());
        try {
            Files.createDirectories(dir.resolve("sub"));
            Files.createSymbolicLink(dir.resolve("link.bin"), outside);
            for (String path : new String[]{"../" + outside.getFileName(), outside.toString(), "sub/../../" + outside.getFileName(),
                    "link.bin"}) {
                String manifest = MANIFEST.replace("\"w.bin\"", "\"" + path + "\"");
                IOException e = assertThrows(IOException.class, () -> TfjsLayersModel.load(model(manifest, shard())));
                assertTrue(e.getMessage().contains("outside") && e.getMessage().contains("refused"), e.getMessage());
                assertTrue(!e.getMessage().contains("16 bytes"), "the outside file's size must not leak: " + e.getMessage());
            }
        } finally {
            Files.delete(outside);
        }
        String twice = MANIFEST.replace("[\"w.bin\"]", "[\"w.bin\",\"w.bin\"]");
        IOException e = assertThrows(IOException.class, () -> TfjsLayersModel.load(model(twice, shard())));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        String huge = MANIFEST.replace("\"shape\":[3,2]", "\"shape\":[3000000000,3000000000]");
        e = assertThrows(IOException.class, () -> TfjsLayersModel.load(model(huge, shard())));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        String negative = MANIFEST.replace("\"shape\":[3,2]", "\"shape\":[-3,2]");
        e = assertThrows(IOException.class, () -> TfjsLayersModel.load(model(negative, shard())));
        assertTrue(e.getMessage().contains("whole numbers from 0 up"), e.getMessage());
    }
}
