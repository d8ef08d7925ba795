package org.cnnzoo.spark;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.transfer.Backbone;
import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.FineTuning;
import org.cnnzoo.transfer.HeadTraining;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.RunSettings;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.cnnzoo.zoo.models.ResNet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on {@code local[2]}: the same features, the same head and the same test metrics as one machine. */
class SparkEngineTest {
    @TempDir
    static Path dir;
    static SparkEngine spark;
    static ImageFolder train;
    static ImageFolder validation;
    static ImageFolder test;

    @BeforeAll
    static void start() throws IOException {
        train = ImageFolder.scan(SparkFixtures.folder(dir.resolve("train"), Part.TRAIN, 3, 0, 60));
        validation = ImageFolder.scan(SparkFixtures.folder(dir.resolve("validation"), Part.TRAIN, 3, 60, 20));
        test = ImageFolder.scan(SparkFixtures.folder(dir.resolve("test"), Part.TEST, 3, 0, 30));
        spark = SparkEngine.start("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
    }

    static TransferPlan plan(Path cache, Engine engine) {
        Backbone backbone = Backbone.of(ResNet.resnet18().optInput(32, 32, 1).optClasses(7).optSeed(3).init(), "resnet18");
        InputSpec input = new InputSpec(new InputShape(32, 32, 1), Normalization.UNIT);
        DataPlan.Parts parts = new DataPlan.Parts(train, validation, test, "test folder");
        return TransferPlan.of(backbone, input, parts, RunSettings.in(cache).withBatchSize(16).withThreads(2).withEngine(engine))
                .withHead(HeadTraining.DEFAULT.withEpochs(150).withPatience(8).withLearningRate(1e-3))
                .withFinetune(FineTuning.DEFAULT.withRegime("head"));
    }

    static final String CUT = "avgpool";

    /** The plain training images through the backbone up to {@link #CUT}, in batches of 16. */
    static Engine.Pass pass(ImageSource data) {
        TransferPlan p = plan(null, null);
        return new Engine.Pass(data, p.input(), null, 7, 16, p.backbone().graph(), CUT);
    }

    static FeatureCache.Key key(Engine.Pass pass) {
        return new FeatureCache.Key("resnet18", "w", CUT, "unit", "32x32x1", pass.data().fingerprint(), "", 0, pass.batchSize());
    }

    static void featurizeHere(FeatureCache cache, FeatureCache.Key key, Engine.Pass pass) throws IOException {
        InferenceGraph net = InferenceGraph.of(pass.network(), CUT);
        cache.ensure(key, pass.images(2), batch -> new DataSet(net.output(List.of(CUT), batch.getFeatures())[0],
                batch.getLabels()), Progress.NONE);
    }

    /** Two caches hold the same entry: same key, every shard once, complete, features within 1e-5. */
    static void assertSameShards(Path here, Path there) throws IOException {
        List<Path> hereShards = shards(here);
        List<Path> thereShards = shards(there);
        assertEquals(hereShards.size(), thereShards.size());
        for (int i = 0; i < hereShards.size(); i++) {
            assertEquals(here.relativize(hereShards.get(i)), there.relativize(thereShards.get(i)), "the same key and shard");
            INDArray a = load(hereShards.get(i)).getFeatures();
            INDArray b = load(thereShards.get(i)).getFeatures();
            assertEquals(0, a.sub(b).amaxNumber().doubleValue(), 1e-5, "shard " + i);
            assertEquals(load(hereShards.get(i)).getLabels(), load(thereShards.get(i)).getLabels());
        }
        for (Path entry : new FeatureCache(there).list().stream().map(l -> there.resolve(l.id())).toList()) {
            assertTrue(Files.readString(entry.resolve("manifest.json")).contains("\"complete\" : true"), "complete: " + entry);
        }
    }

    @Test
    void aRerunAfterAFailedJobComputesOnlyWhatIsMissing() throws IOException {
        Engine.Pass pass = pass(train);
        FeatureCache.Key key = key(pass);
        Path here = dir.resolve("resume-here");
        featurizeHere(new FeatureCache(here), key, pass);

        FeatureCache cache = new FeatureCache(dir.resolve("resume-spark"));
        int[] written = {0};
        IOException failure = assertThrows(IOException.class, () -> cache.ensure(key, pass.batches(), train.size(),
                (missing, sink) -> spark.forward(pass, missing, (i, features) -> {
                    if (written[0] == 5) {
                        throw new IOException("no space left on device (simulated)");
                    }
                    sink.accept(i, features);
                    written[0]++;
                }), Progress.NONE));
        assertTrue(failure.getMessage().contains("simulated"));
        List<Integer> asked = new ArrayList<>();
        cache.ensure(key, pass.batches(), train.size(), (missing, sink) -> {
            for (int i : missing) {
                asked.add(i);
            }
            spark.forward(pass, missing, sink);
        }, Progress.NONE);
        assertEquals(pass.batches() - 5, asked.size(), "only the missing batches are computed again: " + asked);
        assertSameShards(here, dir.resolve("resume-spark"));
    }

    @Test
    void featuresHeadAndTestMetricsEqualOneMachines() throws IOException {
        TransferJob.Result here = TransferJob.run(plan(dir.resolve("cache-here"), null));
        TransferJob.Result there = TransferJob.run(plan(dir.resolve("cache-spark"), spark));
        assertSameShards(dir.resolve("cache-here"), dir.resolve("cache-spark"));
        double accHere = here.metrics().accuracy();
        double accThere = there.metrics().accuracy();
        System.out.printf("test accuracy: one machine %.4f, Spark %.4f%n", accHere, accThere);
        assertTrue(accHere > 0.6, "the head learns on real pictures: " + accHere);
        assertEquals(accHere, accThere, 0.05, "parameter averaging reaches one machine's accuracy within 5 points");
        assertEquals(90, there.metrics().examples());
    }

    static List<Path> shards(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith("shard-")).sorted().toList();
        }
    }

    static DataSet load(Path shard) {
        DataSet d = new DataSet();
        d.load(shard.toFile());
        return d;
    }
}
