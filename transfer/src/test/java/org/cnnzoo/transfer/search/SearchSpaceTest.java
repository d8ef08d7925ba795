package org.cnnzoo.transfer.search;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {
    @TempDir
    Path dir;

    @Test
    void specOverridesDefaultsAndKeepsTheRest() throws Exception {
        SearchSpace s = SearchSpace.parse(SearchKind.HEAD, "lr=1e-3..1e-1:log, hidden=0|256 ,updater=sgd");
        assertEquals(new Dimension.Range(1e-3, 1e-1, true, false), s.dimensions().get("lr"));
        assertEquals(new Dimension.Choice(List.of(0, 256)), s.dimensions().get("hidden"));
        assertEquals(new Dimension.Fixed("sgd"), s.dimensions().get("updater"));
        assertEquals(SearchSpace.defaults(SearchKind.HEAD).dimensions().get("l2"), s.dimensions().get("l2"));
        assertEquals(List.of("lr", "l2", "dropout", "hidden", "batch"), s.varying());
        assertEquals("lr=0.001..0.1:log,l2=1e-6..0.001:log,dropout=0..0.6,hidden=0|256,updater=sgd,batch=16|32|64,"
                + "epochs=40,patience=5", s.spec());
        // the spec reads back as the same space
        assertEquals(s, SearchSpace.parse(SearchKind.HEAD, s.spec()));
    }

    @Test
    void jsonFileTakesValuesArraysSpecsAndRanges() throws Exception {
        Path f = dir.resolve("space.json");
        Files.writeString(f, "{\"lr\": {\"min\": 0.0001, \"max\": 0.01, \"log\": true}, \"hidden\": [0, 64],"
                + " \"dropout\": \"0.1..0.3\", \"epochs\": 7, \"updater\": \"adam|rmsprop\"}");
        SearchSpace s = SearchSpace.parse(SearchKind.HEAD, f.toString());
        assertEquals(new Dimension.Range(1e-4, 1e-2, true, false), s.dimensions().get("lr"));
        assertEquals(new Dimension.Choice(List.of(0, 64)), s.dimensions().get("hidden"));
        assertEquals(new Dimension.Range(0.1, 0.3, false, false), s.dimensions().get("dropout"));
        assertEquals(new Dimension.Fixed(7), s.dimensions().get("epochs"));
        assertEquals(new Dimension.Choice(List.of("adam", "rmsprop")), s.dimensions().get("updater"));
    }

    @Test
    void everyMistakeIsNamed() throws Exception {
        assertMessage("unknown parameter 'learning_rate'", "learning_rate=0.1");
        assertMessage("known: lr, l2, dropout, hidden, updater, batch, epochs, patience", "momentum=0.9");
        assertMessage("lr: impossible range 0.1..0.01", "lr=0.1..0.01");
        assertMessage("lr: impossible range 0.1..0.1", "lr=0.1..0.1");
        assertMessage("l2: a log range needs a minimum above 0", "l2=0..0.1:log");
        assertMessage("hidden: ':log' is for real-valued parameters", "hidden=16..512:log");
        assertMessage("updater is one of adam|nesterovs|sgd|rmsprop; it has no range", "updater=adam..sgd");
        assertMessage("updater: 'adagrad' is not one of", "updater=adam|adagrad");
        assertMessage("dropout must be in [0, 0.95], got 1", "dropout=0..1");
        assertMessage("lr must be in (0, 10], got 0", "lr=0");
        assertMessage("hidden takes whole numbers, got 1.5", "hidden=1.5");
        assertMessage("batch takes a number, got 'big'", "batch=big");
        assertMessage("hidden: 64 appears twice", "hidden=64|64");
        assertMessage("is not NAME=VALUE", "lr");
        assertMessage("empty entry", "lr=0.1,,hidden=0");
        assertMessage("the only range option is ':log'", "lr=0.001..0.1:ln");

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"lr\": {\"low\": 0.1, \"max\": 1}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchSpace.parse(SearchKind.HEAD, bad.toString()));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("unknown key 'low'"), e.getMessage());
        Files.writeString(bad, "{\"lr\": 0.1,");
        e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(SearchKind.HEAD, bad.toString()));
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchSpace.parse(SearchKind.HEAD, dir.resolve("missing.json").toString()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(SearchKind.FINETUNE, "hidden=0"));
        assertTrue(e.getMessage().contains("for a finetune search; known: blocks, lr, augment"), e.getMessage());
    }

    private static void assertMessage(String expected, String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SearchSpace.parse(SearchKind.HEAD, spec));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void arbiterDrawsWithinTheSpaceAndLogRangesSpreadOverDecades() throws Exception {
        SearchSpace s = SearchSpace.parse(SearchKind.HEAD, "lr=1e-4..1e-1:log,dropout=0.2..0.4,hidden=16..20,batch=8|64");
        RandomSearchGenerator g = new RandomSearchGenerator(s.toArbiter(), null);
        g.setRngSeed(7);
        int belowOneHundredth = 0;
        Set<Object> hidden = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) g.getCandidate().getValue();
            double lr = (Double) v.get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr " + lr);
            belowOneHundredth += lr < 1e-2 ? 1 : 0;
            double dropout = (Double) v.get("dropout");
            assertTrue(dropout >= 0.2 && dropout <= 0.4);
            hidden.add(v.get("hidden"));
            assertTrue(List.of(8, 64).contains(v.get("batch")));
            assertEquals("adam|nesterovs".contains((String) v.get("updater")), true);
        }
        // two of the three decades lie below 1e-2: log-uniform draws land there two thirds of the time
        assertEquals(2000, belowOneHundredth, 90);
        assertEquals(Set.of(16, 17, 18, 19, 20), hidden);

        RandomSearchGenerator again = new RandomSearchGenerator(s.toArbiter(), null);
        again.setRngSeed(7);
        RandomSearchGenerator first = new RandomSearchGenerator(s.toArbiter(), null);
        first.setRngSeed(7);
        assertEquals(first.getCandidate().getValue(), again.getCandidate().getValue());
    }

    @Test
    void gridSearchTakesLogSpacedPointsAndEveryChoice() throws Exception {
        SearchSpace s = SearchSpace.parse(SearchKind.HEAD, "lr=1e-3..1e-1:log,l2=0,dropout=0,hidden=0|32,updater=adam,batch=32");
        assertEquals(6, s.gridSize(3));
        GridSearchCandidateGenerator g = new GridSearchCandidateGenerator(s.toArbiter(), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        List<String> seen = new ArrayList<>();
        while (g.hasMoreCandidates()) {
            Candidate<?> c = g.getCandidate();
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) c.getValue();
            seen.add(String.format("%.6f/%s", (Double) v.get("lr"), v.get("hidden")));
        }
        assertEquals(Set.of("0.001000/0", "0.010000/0", "0.100000/0", "0.001000/32", "0.010000/32", "0.100000/32"),
                new HashSet<>(seen));
        assertEquals(6, seen.size());
        assertFalse(s.dimensions().get("l2").varies());
    }

    @Test
    void augmentationStrengthMapsToASpecTheParserAccepts() {
        assertEquals(null, Augmentation.ofStrength(0));
        assertEquals("flip:0.5,crop:0.400-1.0,rotate:15.00,color:0.100", Augmentation.ofStrength(1));
        for (double s = 0.01; s <= 1; s += 0.07) {
            org.cnnzoo.augmentation.Spec.parse(Augmentation.ofStrength(s));
        }
        assertThrows(IllegalArgumentException.class, () -> Augmentation.ofStrength(1.5));
    }
}
