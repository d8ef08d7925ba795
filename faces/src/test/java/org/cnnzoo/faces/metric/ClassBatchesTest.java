package org.cnnzoo.faces.metric;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassBatchesTest {
    /** 5 classes of unequal size: 30, 20, 12, 9 and 3 examples. */
    static int[] labels() {
        int[] sizes = {30, 20, 12, 9, 3};
        int[] labels = new int[Arrays.stream(sizes).sum()];
        int at = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                labels[at++] = c;
            }
        }
        return labels;
    }

    @Test
    void everyBatchHoldsPClassesOfKExamples() {
        int[] labels = labels();
        int[] order = ClassBatches.order(labels, 12, 4, 1);
        assertEquals(labels.length / 12 * 12, order.length);
        for (int b = 0; b < order.length / 12; b++) {
            Map<Integer, Integer> counts = new HashMap<>();
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < 12; j++) {
                int i = order[b * 12 + j];
                counts.merge(labels[i], 1, Integer::sum);
                // a class's examples repeat within a batch only when it has fewer than k
                assertTrue(seen.add(i) || labels[i] == 4, "batch " + b + " repeats " + i);
            }
            assertEquals(3, counts.size(), "batch " + b + ": " + counts);
            counts.values().forEach(n -> assertEquals(4, n));
        }
    }

    @Test
    void theSeedDecides() {
        assertArrayEquals(ClassBatches.order(labels(), 12, 4, 1), ClassBatches.order(labels(), 12, 4, 1));
        assertFalse(Arrays.equals(ClassBatches.order(labels(), 12, 4, 1), ClassBatches.order(labels(), 12, 4, 2)));
    }

    @Test
    void refusesBatchesThatCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> ClassBatches.order(labels(), 12, 5, 1));   // 12 % 5
        assertThrows(IllegalArgumentException.class, () -> ClassBatches.order(labels(), 8, 8, 1));    // one class
        assertThrows(IllegalArgumentException.class, () -> ClassBatches.order(labels(), 36, 6, 1));   // 6 classes of 5
    }
}
