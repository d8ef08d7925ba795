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
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void featuresHeadAndTestMetricsEqualOneMachines() throws IOException {
        TransferJob.Result here = TransferJob.run(plan(dir.resolve("cache-here"), null));
        TransferJob.Result there = TransferJob.run(plan(dir.resolve("cache-spark"), spark));

        List<Path> hereShards = shards(dir.resolve("cache-here"));
        List<Path> thereShards = shards(dir.resolve("cache-spark"));
        assertEquals(hereShards.size(), thereShards.size());
        assertEquals(List.of(hereShards.get(0).getParent().getFileName()), List.of(thereShards.get(0).getParent().getFileName()),
                "the same cache key");
        for (int i = 0; i < hereShards.size(); i++) {
            INDArray a = load(hereShards.get(i)).getFeatures();
            INDArray b = load(thereShards.get(i)).getFeatures();
            assertEquals(0, a.sub(b).amaxNumber().doubleValue(), 1e-5, "shard " + i);
            assertEquals(load(hereShards.get(i)).getLabels(), load(thereShards.get(i)).getLabels());
        }
        double accHere = here.metrics().accuracy();
        double accThere = there.metrics().accuracy();
        System.out.println("here " + here.history().get(0).bestEpoch() + " " + here.history().get(0).best());
        System.out.println("there " + there.history().get(0).bestEpoch() + " " + there.history().get(0).best());
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
