package org.cnnzoo.faces.metric;

import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Part;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every training image twice in a row, in a seeded order, each pair's label distinct within its batch. */
class ViewPairsTest {
    @Test
    void eachImageAppearsTwiceInOneBatchUnderALabelOfItsOwn() throws Exception {
        ImageSource train = DataSources.open("embedded", Part.TRAIN, true);
        int batch = 16;
        ViewPairs pairs = ViewPairs.of(train, batch, 7);
        assertEquals(2 * train.size(), pairs.size());
        Set<String> seen = new HashSet<>();
        for (int start = 0; start < pairs.size(); start += batch) {
            Set<Integer> labels = new HashSet<>();
            for (int i = start; i < Math.min(start + batch, pairs.size()); i += 2) {
                assertEquals(pairs.identity(i), pairs.identity(i + 1), "a pair is one image");
                assertEquals(pairs.label(i), pairs.label(i + 1));
                assertTrue(labels.add(pairs.label(i)), "two pairs of one batch share a label at " + i);
                assertTrue(seen.add(pairs.identity(i)), "an image paired twice: " + pairs.identity(i));
            }
        }
        assertEquals(train.size(), seen.size(), "every training image is used");
        assertEquals(batch / 2, pairs.classes().size());
        // the seed draws the order
        assertEquals(pairs.identity(0), ViewPairs.of(train, batch, 7).identity(0));
        assertNotEquals(pairs.identity(0) + pairs.identity(2) + pairs.identity(4),
                ViewPairs.of(train, batch, 8).identity(0) + ViewPairs.of(train, batch, 8).identity(2)
                        + ViewPairs.of(train, batch, 8).identity(4));
        assertThrows(IllegalArgumentException.class, () -> ViewPairs.of(train, 15, 7));
    }
}
