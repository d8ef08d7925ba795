package org.cnnzoo.spark;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.datasets.EmbeddedFashionMnist;
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
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.RunSettings;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.cnnzoo.zoo.models.ResNet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real images and a small job for the Spark tests: Fashion-MNIST pictures from the embedded set written as PNG
 * folders, ResNet-18 (seeded) cut at its pooled features, and checks that two feature caches hold the same entry.
 */
public final class SparkFixtures {
    static final String CUT = "avgpool";

    private SparkFixtures() {
    }

    /** Training, validation and test folders of three classes that share no picture. */
    record Folders(ImageFolder train, ImageFolder validation, ImageFolder test) {
        static Folders under(Path dir) throws IOException {
            return new Folders(ImageFolder.scan(folder(dir.resolve("train"), Part.TRAIN, 3, 0, 60)),
                    ImageFolder.scan(folder(dir.resolve("validation"), Part.TRAIN, 3, 60, 20)),
                    ImageFolder.scan(folder(dir.resolve("test"), Part.TEST, 3, 0, 30)));
        }
    }

    /**
     * {@code perClass} pictures of each of the first {@code classes} classes of a part, after the first {@code skip}
     * of each, as root/CLASS/NNNN.png (NNNN: the picture's index in the part, so folders never share a picture).
     */
    public static Path folder(Path root, Part part, int classes, int skip, int perClass) throws IOException {
        ImageSource source = EmbeddedFashionMnist.load(part);
        int[] seen = new int[classes];
        int[] written = new int[classes];
        for (int i = 0; i < source.size(); i++) {
            int label = source.label(i);
            if (label >= classes || seen[label]++ < skip || written[label] >= perClass) {
                continue;
            }
            Path dir = Files.createDirectories(root.resolve(source.classes().get(label).replace('/', '-')));
            Mat image = source.decode(i, 1);
            if (!opencv_imgcodecs.imwrite(dir.resolve(String.format("%04d.png", i)).toString(), image)) {
                throw new IOException("cannot write a test image under " + dir);
            }
            written[label]++;
        }
        return root;
    }

    static Backbone backbone() {
        return Backbone.of(ResNet.resnet18().optInput(32, 32, 1).optClasses(7).optSeed(3).init(), "resnet18");
    }

    static InputSpec input() {
        return new InputSpec(new InputShape(32, 32, 1), Normalization.UNIT);
    }

    /** A head on ResNet-18's pooled features, trained until validation stops improving, here or on the engine. */
    static TransferPlan plan(Folders data, Path cache, Engine engine) {
        DataPlan.Parts parts = new DataPlan.Parts(data.train(), data.validation(), data.test(), "test folder");
        return TransferPlan.of(backbone(), input(), parts, RunSettings.in(cache).withBatchSize(16).withThreads(2).withEngine(engine))
                .withHead(HeadTraining.DEFAULT.withEpochs(150).withPatience(8).withLearningRate(1e-3))
                .withFinetune(FineTuning.DEFAULT.withRegime("head"));
    }

    /** The plain images through the backbone up to {@link #CUT}, in batches of 16. */
    static Engine.Pass pass(ImageSource data) {
        return new Engine.Pass(data, input(), null, 7, 16, backbone().graph(), CUT);
    }

    static FeatureCache.Key key(Engine.Pass pass) {
        return new FeatureCache.Key("resnet18", "w", CUT, "unit", "32x32x1", pass.data().fingerprint(), "", 0, pass.batchSize());
    }

    /** The pass's cache entry computed in this JVM. */
    static void featurizeHere(FeatureCache cache, FeatureCache.Key key, Engine.Pass pass) throws IOException {
        InferenceGraph net = InferenceGraph.of(pass.network(), CUT);
        cache.ensure(key, pass.images(2), batch -> new DataSet(net.output(List.of(CUT), batch.getFeatures())[0],
                batch.getLabels()), Progress.NONE);
    }

    /** Two caches hold the same entries: same keys, every shard once, complete, features within 1e-5. */
    static void assertSameShards(Path here, Path there) throws IOException {
        List<Path> hereShards = shards(here);
        List<Path> thereShards = shards(there);
        assertEquals(hereShards.size(), thereShards.size());
        for (int i = 0; i < hereShards.size(); i++) {
            assertEquals(here.relativize(hereShards.get(i)), there.relativize(thereShards.get(i)), "the same key and shard");
            DataSet a = load(hereShards.get(i));
            DataSet b = load(thereShards.get(i));
            INDArray difference = a.getFeatures().sub(b.getFeatures());
            assertEquals(0, difference.amaxNumber().doubleValue(), 1e-5, "shard " + i);
            assertEquals(a.getLabels(), b.getLabels());
        }
        for (FeatureCache.Listing entry : new FeatureCache(there).list()) {
            assertTrue(entry.manifest().complete(), "complete: " + entry.id());
        }
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
