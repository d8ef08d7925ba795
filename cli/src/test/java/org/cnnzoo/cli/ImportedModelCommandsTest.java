package org.cnnzoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TF.js layers model as Teachable Machine exports it (model.json, weights.bin, metadata.json with the labels),
 * through the commands: import to a DL4J zip, predict with it directly, and transfer from it.
 */
class ImportedModelCommandsTest {
    @TempDir
    Path dir;

    private static String layer(String name, String cls, String config, String inbound) {
        return "{\"name\":\"" + name + "\",\"class_name\":\"" + cls + "\",\"config\":{\"name\":\"" + name + "\"," + config
                + "},\"inbound_nodes\":" + (inbound == null ? "[]" : "[[[\"" + inbound + "\",0,0,{}]]]") + "}";
    }

    /** Conv2D 3x3 (4 filters, ReLU) on 16x16x3, global average pooling, Dense 2 with softmax; random weights. */
    private Path teachableMachineModel() throws Exception {
        String init = "\"kernel_initializer\":{\"class_name\":\"Zeros\",\"config\":{}},\"bias_initializer\":{\"class_name\":"
                + "\"Zeros\",\"config\":{}},\"kernel_regularizer\":null,\"bias_regularizer\":null,\"activity_regularizer\":"
                + "null,\"kernel_constraint\":null,\"bias_constraint\":null";
        String layers = String.join(",",
                layer("input_1", "InputLayer", "\"batch_input_shape\":[null,16,16,3],\"dtype\":\"float32\",\"sparse\":false", null),
                layer("conv", "Conv2D", "\"trainable\":true,\"filters\":4,\"kernel_size\":[3,3],\"strides\":[1,1],"
                        + "\"padding\":\"same\",\"data_format\":\"channels_last\",\"dilation_rate\":[1,1],\"activation\":"
                        + "\"relu\",\"use_bias\":true," + init, "input_1"),
                layer("pool", "GlobalAveragePooling2D", "\"trainable\":true,\"data_format\":\"channels_last\"", "conv"),
                layer("dense", "Dense", "\"trainable\":true,\"units\":2,\"activation\":\"softmax\",\"use_bias\":true," + init,
                        "pool"));
        String topology = "{\"keras_version\":\"2.2.4\",\"backend\":\"tensorflow\",\"model_config\":{\"class_name\":\"Model\","
                + "\"config\":{\"name\":\"tm\",\"layers\":[" + layers + "],\"input_layers\":[[\"input_1\",0,0]],"
                + "\"output_layers\":[[\"dense\",0,0]]}}}";
        String manifest = "[{\"paths\":[\"weights.bin\"],\"weights\":["
                + "{\"name\":\"conv/kernel\",\"shape\":[3,3,3,4],\"dtype\":\"float32\"},"
                + "{\"name\":\"conv/bias\",\"shape\":[4],\"dtype\":\"float32\"},"
                + "{\"name\":\"dense/kernel\",\"shape\":[4,2],\"dtype\":\"float32\"},"
                + "{\"name\":\"dense/bias\",\"shape\":[2],\"dtype\":\"float32\"}]}]";
        Path folder = Files.createDirectories(dir.resolve("tm"));
        Files.writeString(folder.resolve("model.json"), "{\"modelTopology\":" + topology + ",\"weightsManifest\":" + manifest + "}");
        ByteBuffer w = ByteBuffer.allocate(4 * (108 + 4 + 8 + 2)).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(5);
        while (w.hasRemaining()) {
            w.putFloat((float) random.nextGaussian() * 0.5f);
        }
        Files.write(folder.resolve("weights.bin"), w.array());
        Files.writeString(folder.resolve("metadata.json"), "{\"labels\":[\"reddish\",\"bluish\"],\"imageSize\":16}");
        return folder.resolve("model.json");
    }

    @Test
    void importPredictAndTransferFromATfjsModel() throws Exception {
        Path model = teachableMachineModel();
        Path photos = TestPhotos.twoColours(dir.resolve("photos"));

        MainTest.Result imported = MainTest.run("weights", "import", model.toString(), "--out", dir.resolve("tm.zip").toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("tfjs model, 122 parameters, input 16x16x3"), imported.out());

        MainTest.Result predicted = MainTest.run("predict", "--model", model.toString(), "--normalization", "unit",
                photos.resolve("bluish/1.jpg").toString());
        assertEquals(0, predicted.code(), predicted.err());
        assertTrue(predicted.out().contains("reddish") && predicted.out().contains("bluish"), predicted.out());
        MainTest.Result noScaling = MainTest.run("predict", "--model", model.toString(), photos.resolve("bluish/1.jpg").toString());
        assertEquals(Main.BAD_INPUT, noScaling.code());
        assertTrue(noScaling.err().contains("--normalization"), noScaling.err());

        // the input size comes from the model: no --input needed
        MainTest.Result t = MainTest.run("transfer", "--model", model.toString(), "--data", photos.toString(), "--split",
                "0.6,0.2,0.2", "--normalization", "unit", "--epochs", "2", "--cache", dir.resolve("cache").toString(),
                "--out", dir.resolve("run").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("regime: head") && t.out().contains("test: 8 images"), t.out());
    }
}
