package org.cnnzoo.zoo.imports;

import org.cnnzoo.zoo.models.LeNet5;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model files are told apart by their content, whatever they are called. */
class ModelFormatTest {
    @TempDir
    Path dir;

    @Test
    void contentDecidesNotTheName() throws IOException {
        Path dl4j = dir.resolve("model.bin");
        ModelSerializer.writeModel(LeNet5.modern().init(), dl4j.toFile(), false);
        assertEquals(ModelFormat.DL4J, ModelFormat.of(dl4j));
        assertEquals(ModelFormat.TFJS, ModelFormat.of(Files.writeString(dir.resolve("model.txt"), "  \n{\"format\": 1}")));
        Path h5 = Files.write(dir.resolve("x.dat"), new byte[]{(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
        assertEquals(ModelFormat.KERAS_H5, ModelFormat.of(h5));

        Path pth = dir.resolve("resnet18.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(pth))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
        }
        IOException weights = assertThrows(IOException.class, () -> ModelFormat.of(pth));
        assertTrue(weights.getMessage().contains("PyTorch checkpoint") && weights.getMessage().contains("--weights"),
                weights.getMessage());
        IOException other = assertThrows(IOException.class,
                () -> ModelFormat.of(Files.writeString(dir.resolve("model.h5"), "not a model")));
        assertTrue(other.getMessage().contains("expected a DL4J model .zip"), other.getMessage());
    }
}
