package org.cnnzoo.transfer.search;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.transfer.Backbone;
import org.cnnzoo.transfer.HeadTraining;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.RunSettings;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.zoo.InputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Splits;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Searches on real images: five Fashion-MNIST classes from the embedded subset, 40 training and 20 validation
 * images per class, with a randomly initialised ResNet-18 at 28x28 grey as the frozen backbone.
 */
class SearchTest {
    static final String SPACE = "lr=1e-6..1e-1:log,hidden=0|64,batch=16|32,epochs=8,patience=3";
    static ComputationGraph backbone;
    static Splits.Split data;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    @BeforeAll
    static void data() throws IOException {
        ImageSource few = Splits.perClass(Splits.classes(EmbeddedFashionMnist.load(Part.TRAIN), org.cnnzoo.datasets.FashionMnist.CLASSES.subList(5, 10)), 60, 5);
        data = Splits.stratified(few, 2.0 / 3, 1.0 / 3, 0, 5);
        backbone = ResNet.resnet18().optInput(28, 28, 1).optClasses(5).optSeed(5).init();
    }

    static Search.Options options(Path out, SearchKind kind, String space, int trials) throws IOException {
        TransferPlan job = TransferPlan.of(Backbone.of(backbone, "resnet18-random"),
                        new InputSpec(new InputShape(28, 28, 1), Normalization.UNIT),
                        new DataPlan.Parts(data.train(), data.validation(), null, null),
                        RunSettings.in(shared.resolve("cache")).withSeed(11).withBatchSize(50))
                .withHead(HeadTraining.DEFAULT.withEpochs(5));
        return Search.Options.of(job, out).withKind(kind).withSpace(SearchSpace.parse(kind, space))
                .withBudget(trials, null);
    }

    @Test
    void headSearchImprovesOnTheWorstAndItsBestModelReproducesItsScore() throws Exception {
        Search.Result r = Search.run(options(dir.resolve("a"), SearchKind.HEAD, SPACE, 8));
        assertEquals(8, r.candidates().size());
        assertTrue(r.candidates().stream().allMatch(Outcome::ok), r.table());
        Outcome best = r.best().orElseThrow();
        double worst = r.candidates().stream().mapToDouble(Outcome::score).min().orElseThrow();
        assertTrue(best.score() > worst + 0.1, r.table());
        assertEquals(best.validationAccuracy(), best.score());

        // the saved best is a normal run folder; through the whole network on the validation images it scores
        // what the search recorded from the cached features
        Runs.Loaded run = Runs.load(r.bestRun());
        assertEquals(data.train().classes(), run.info().classes());
        ImageIterator validation = ImageIterator.builder(data.validation()).batchSize(50).input(28, 28, 1)
                .normalization(Normalization.UNIT).build();
        double[] lossAndAccuracy = Trainer.lossAndAccuracy(run.model(), validation);
        assertEquals(best.validationAccuracy(), lossAndAccuracy[1], 1e-12);
        assertEquals(best.validationLoss(), lossAndAccuracy[0], 1e-4);

        for (String f : new String[]{"search.json", "candidates.csv", "scores.png", "best/model.zip", "best/run.json",
                "best/candidate.json"}) {
            assertTrue(Files.size(dir.resolve("a").resolve(f)) > 0, f);
        }
        assertEquals(9, Files.readAllLines(dir.resolve("a/candidates.csv")).size());
        assertTrue(r.table().contains(String.format("%3d*", best.index())), r.table());

        // the same seed gives the same candidates and the same scores
        Search.Result again = Search.run(options(dir.resolve("b"), SearchKind.HEAD, SPACE, 8));
        for (int i = 0; i < 8; i++) {
            Outcome x = r.candidates().get(i);
            Outcome y = again.candidates().get(i);
            assertEquals(x.values(), y.values());
            assertEquals(x.score(), y.score(), "candidate " + i);
            assertEquals(x.validationLoss(), y.validationLoss(), "candidate " + i);
        }
    }

    @Test
    void resumeContinuesWhereAKilledSearchStopped() throws Exception {
        Path out = dir.resolve("s");
        Search.Result first = Search.run(options(out, SearchKind.HEAD, SPACE, 3));
        assertEquals(3, first.candidates().size());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Search.run(options(out, SearchKind.HEAD, SPACE, 6)));
        assertTrue(e.getMessage().contains("already holds a search") && e.getMessage().contains("--resume"), e.getMessage());
        Search.Options otherSpace = options(out, SearchKind.HEAD, SPACE.replace("hidden=0|64", "hidden=0|32"), 6)
                .withResume(true);
        e = assertThrows(IllegalArgumentException.class, () -> Search.run(otherSpace));
        assertTrue(e.getMessage().contains("settings differ (space:"), e.getMessage());

        Search.Options resume = options(out, SearchKind.HEAD, SPACE, 6).withResume(true);
        Search.Result resumed = Search.run(resume);
        assertEquals(6, resumed.candidates().size());
        for (int i = 0; i < 3; i++) {
            // taken from the record, not trained again: even the recorded time is the same
            assertEquals(first.candidates().get(i), resumed.candidates().get(i));
        }
        Search.Result fresh = Search.run(options(dir.resolve("fresh"), SearchKind.HEAD, SPACE, 6));
        for (int i = 0; i < 6; i++) {
            assertEquals(fresh.candidates().get(i).values(), resumed.candidates().get(i).values());
            assertEquals(fresh.candidates().get(i).score(), resumed.candidates().get(i).score());
        }
        assertEquals(fresh.best().orElseThrow().index(), resumed.best().orElseThrow().index());
        Outcome saved = new ObjectMapper().readValue(out.resolve("best/candidate.json").toFile(), Outcome.class);
        assertEquals(resumed.best().orElseThrow().index(), saved.index());
    }

    @Test
    void aFailingCandidateIsRecordedAndTheSearchGoesOn() throws Exception {
        Search.Result r = Search.run(options(dir.resolve("f"), SearchKind.HEAD, SPACE, 4), runner -> new TrialRunner() {
            @Override
            public void prepare() throws IOException {
                runner.prepare();
            }

            @Override
            public org.deeplearning4j.arbiter.optimize.api.data.DataProvider data() {
                return runner.data();
            }

            @Override
            public Trained train(Trial trial) throws IOException {
                if (trial.index() == 1) {
                    throw new IllegalStateException("out of luck");
                }
                return runner.train(trial);
            }
        });
        assertEquals(4, r.candidates().size());
        Outcome failed = r.candidates().get(1);
        assertEquals(Outcome.FAILED, failed.status());
        assertEquals("IllegalStateException: out of luck", failed.error());
        assertNull(failed.score());
        assertTrue(r.candidates().get(2).ok() && r.candidates().get(3).ok());
        assertTrue(r.table().contains("failed: IllegalStateException: out of luck"), r.table());
        assertTrue(Files.readString(dir.resolve("f/candidates.csv")).contains("failed"));
    }

    @Test
    void gridSearchRunsEveryPointAndLossCanBeTheScore() throws Exception {
        Search.Options o = options(dir.resolve("g"), SearchKind.HEAD,
                "lr=1e-4..1e-2:log,hidden=0,dropout=0,l2=0,batch=32,updater=adam,epochs=3", 100)
                .withStrategy(Search.Strategy.GRID, 3).withMetric(ValidationScore.Metric.LOSS);
        Search.Result r = Search.run(o);
        assertEquals(3, r.candidates().size());
        List<Double> lrs = r.candidates().stream().map(c -> ((Number) c.values().get("lr")).doubleValue()).toList();
        assertEquals(1e-4, lrs.get(0), 1e-12);
        assertEquals(1e-3, lrs.get(1), 1e-12);
        assertEquals(1e-2, lrs.get(2), 1e-12);
        Outcome best = r.best().orElseThrow();
        assertEquals(best.validationLoss(), best.score());
        assertEquals(r.candidates().stream().mapToDouble(Outcome::score).min().orElseThrow(), best.score());
    }

    @Test
    void aTimeLimitStopsTheSearch() throws Exception {
        Search.Options o = options(dir.resolve("t"), SearchKind.HEAD, SPACE, 500).withBudget(500, 0.05);
        long t0 = System.nanoTime();
        Search.Result r = Search.run(o);
        assertTrue(r.candidates().size() < 500, "" + r.candidates().size());
        assertTrue((System.nanoTime() - t0) / 1e9 < 60);
    }

    @Test
    void finetuneSearchTrainsThroughTheNetworkFromOneHead() throws Exception {
        Search.Result r = Search.run(options(dir.resolve("ft"), SearchKind.FINETUNE,
                "blocks=1|2,lr=1e-4..1e-3:log,augment=0..1,epochs=1,batch=25", 2));
        assertEquals(2, r.candidates().size());
        assertTrue(r.candidates().stream().allMatch(Outcome::ok), r.table());
        Runs.Loaded run = Runs.load(r.bestRun());
        assertEquals("partial", run.info().regime());
        assertFalse(run.info().finetuned().isBlank());
        Outcome best = r.best().orElseThrow();
        ImageIterator validation = ImageIterator.builder(data.validation()).batchSize(50).input(28, 28, 1)
                .normalization(Normalization.UNIT).build();
        assertEquals(best.validationAccuracy(), Trainer.lossAndAccuracy(run.model(), validation)[1], 1e-12);
    }
}
