package org.cnnzoo.faces.metric;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** N-way one-shot accuracy, ROC AUC and equal-error rate on embeddings whose answers are known. */
class OneShotTest {

    /** {@code perClass} points around the corners of a simplex, spread by {@code noise}. */
    static float[][] clusters(int classes, int perClass, double noise, long seed, int[] labels) {
        Random r = new Random(seed);
        float[][] e = new float[classes * perClass][classes];
        for (int i = 0; i < e.length; i++) {
            labels[i] = i % classes;
            for (int k = 0; k < classes; k++) {
                e[i][k] = (float) ((k == labels[i] ? 1 : 0) + noise * r.nextGaussian());
            }
        }
        return e;
    }

    @Test
    void separatedClassesAreNamedAndRandomOnesAreGuessed() {
        int[] labels = new int[12 * 20];
        float[][] tight = clusters(12, 20, 0.01, 1, labels);
        OneShot.Report perfect = OneShot.evaluate(tight, labels, new int[]{5, 10}, 300, 7);
        assertEquals(1.0, perfect.ways(5).accuracy());
        assertEquals(1.0, perfect.ways(10).accuracy());
        assertEquals(1.0, perfect.verification().auc(), 1e-12);
        assertEquals(0.0, perfect.verification().eer(), 1e-12);

        float[][] noise = clusters(12, 20, 100, 2, labels);        // the class signal drowns in the noise
        OneShot.Report chance = OneShot.evaluate(noise, labels, new int[]{5, 10}, 2000, 7);
        assertEquals(0.2, chance.ways(5).accuracy(), 0.03);
        assertEquals(0.1, chance.ways(10).accuracy(), 0.03);
        assertEquals(0.5, chance.verification().auc(), 0.03);
        assertEquals(0.5, chance.verification().eer(), 0.05);
    }

    @Test
    void aucAndEqualErrorRateByHand() {
        // one dimension; classes 0 0 1 1: pairs (0,1) d=1 same, (2,3) d=1 same, cross pairs d = 2, 3, 1, 2
        float[][] e = {{0}, {1}, {2}, {3}};
        int[] labels = {0, 0, 1, 1};
        OneShot.Verification v = OneShot.verification(e, labels, 100, 1);
        assertEquals(6, v.pairs());
        // same pairs at 1, 1; different at 1, 2, 2, 3: P(same closer) = (2 x 3 + 2 x 1 x 0.5) / 8 = 7/8
        assertEquals(7.0 / 8, v.auc(), 1e-12);
        // accepting d <= 1: false accept 1/4, false reject 0 -> gap 1/4; the best gap is there: EER 1/8
        assertEquals(1.0 / 8, v.eer(), 1e-12);
        assertEquals(1.0, v.threshold(), 1e-12);
    }

    @Test
    void episodesAreSeededAndNeedEnoughClasses() {
        int[] labels = new int[4 * 10];
        float[][] e = clusters(4, 10, 0.8, 3, labels);
        assertEquals(OneShot.nWay(e, labels, 3, 200, 5), OneShot.nWay(e, labels, 3, 200, 5));
        assertTrue(OneShot.evaluate(e, labels, new int[]{5, 10}, 10, 1).oneShot().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> OneShot.nWay(e, labels, 5, 10, 1));
    }
}
