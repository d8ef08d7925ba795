package org.cnnzoo.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EmbeddedFashionMnistTest {

    @Test
    void theSubsetHasItsDocumentedSize() throws IOException {
        ImageArrays train = EmbeddedFashionMnist.load(Part.TRAIN);
        ImageArrays test = EmbeddedFashionMnist.load(Part.TEST);
        assertEquals(3000, train.size());
        assertEquals(1000, test.size());
        int[] perClass = ClassBalance.of(train).counts();
        for (int c : perClass) {
            assertEquals(300, c);
        }
        assertEquals(FashionMnist.CLASSES, train.classes());
    }

    /** Re-cutting from Debian's full copy gives exactly the embedded images and labels. */
    @Test
    void itIsReproducibleFromTheFullDataset(@TempDir Path out) throws IOException {
        Path full = DebianData.fashionMnist();
        EmbeddedFashionMnist.cut(full, out);
        for (Part part : Part.values()) {
            ImageArrays embedded = EmbeddedFashionMnist.load(part);
            ImageArrays recut = new ImageArrays("recut", Idx.readImages(out.resolve(part.imagesFile() + ".gz")).pixels(),
                    Idx.readLabels(out.resolve(part.labelsFile() + ".gz")).labels(), 28, 28, 1, FashionMnist.CLASSES);
            assertEquals(embedded.fingerprint(), recut.fingerprint(), part.name());
            // and the documented rule: the first images of each class of the official file
            ImageArrays official = FashionMnist.load(full, part);
            int[] labels = new int[official.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = official.label(i);
            }
            int[] kept = EmbeddedFashionMnist.indices(labels, part == Part.TRAIN ? 300 : 100);
            assertArrayEquals(official.pixels(kept[17]), embedded.pixels(17));
        }
    }
}
