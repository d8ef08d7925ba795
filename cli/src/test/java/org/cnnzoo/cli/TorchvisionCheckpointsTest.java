package org.cnnzoo.cli;

import org.cnnzoo.common.Hashing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.transfer.Predictor;
import org.cnnzoo.transfer.RunFolders;
import org.cnnzoo.transfer.Runs;
import org.cnnzoo.zoo.CounterGenerator;
import org.cnnzoo.zoo.ExternalTools;
import org.cnnzoo.zoo.load.LoadedModel;
import org.cnnzoo.zoo.load.ModelLoader;
import org.cnnzoo.zoo.load.ModelRequest;
import org.cnnzoo.zoo.inference.Logits;
import org.cnnzoo.zoo.weights.Npy;
import org.cnnzoo.zoo.weights.WeightStore;
import org.cnnzoo.zoo.weights.WeightsEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torchvision's published checkpoints, as Debian's torch writes them, give torchvision's logits here.
 *
 * <p>tools/reference/torchvision_checkpoints.py writes each network's state dict with {@code torch.save} (zip
 * format; resnet18 and mobilenet_v2 also in the legacy stream), every value from the seeded counter generator, with
 * the keys of the published file (Inception v3's auxiliary classifier included). Each is registered in a private
 * store as a copy of the network's default catalogue entry (same preprocessing and build options: GoogLeNet's and
 * Inception v3's transform_input), then:
 * <ul>
 *   <li>{@code cnnzoo infer} on the seeded input tensor gives the committed torchvision logits;</li>
 *   <li>the seeded image, through predict's preprocessing (resize, centre crop, normalisation from the entry), gives
 *       the logits of torchvision's own {@code weights.transforms()} on the same image.</li>
 * </ul>
 * Tolerance: max |difference| <= 1e-4 x max(1, max |logit|).
 */
class TorchvisionCheckpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path store;

    @BeforeAll
    static void writeCheckpoints() throws Exception {
        Path written = ExternalTools.reference(ExternalTools.Needs.TORCHVISION, "torchvision_checkpoints.py",
                dir.resolve("written"), 20);
        store = Files.createDirectories(dir.resolve("home").resolve("weights"));
        List<WeightsEntry> entries = new ArrayList<>();
        try (var files = Files.list(written)) {
            for (Path file : files.sorted().toList()) {
                String stem = file.getFileName().toString().replace(".pth", "");
                boolean legacy = stem.endsWith("-legacy");
                String network = legacy ? stem.substring(0, stem.length() - "-legacy".length()) : stem;
                WeightsEntry published = WeightStore.known().stream().filter(e -> e.aliases().contains(network))
                        .findFirst().orElseThrow();
                String name = network + (legacy ? "-seeded-legacy.pth" : "-seeded.pth");
                Path stored = Files.move(file, store.resolve(name));
                entries.add(published.withSource(network + (legacy ? ".SEEDED_LEGACY" : ".SEEDED"),
                        "https://download.invalid/" + name, Hashing.sha256(stored)));
            }
        }
        // the same ResNet-18 file published as "features only", as torchvision publishes VGG-16's FEATURES weights
        WeightsEntry seeded = entries.stream().filter(e -> e.id().equals("resnet18.SEEDED")).findFirst().orElseThrow();
        entries.add(new WeightsEntry("resnet18.SEEDED_FEATURES", List.of(), "resnet18", seeded.format(), seeded.url(),
                seeded.sha256(), null, null, "test", seeded.preprocessing(), Map.of(), null, null, true));
        JSON.writeValue(store.resolve(WeightStore.CATALOGUE).toFile(), Map.of("entries", entries));
        System.setProperty("cnnzoo.home", dir.resolve("home").toString());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("cnnzoo.home");
    }

    private static JsonNode fixture(String network) throws IOException {
        try (InputStream in = CounterGenerator.class.getResourceAsStream("/reference/logits/" + network + ".json")) {
            return JSON.readTree(in);
        }
    }

    private static void assertLogits(JsonNode expected, INDArray actual, String what) {
        assertEquals(expected.size(), actual.size(0), what);
        double max = 0;
        double diff = 0;
        for (int r = 0; r < expected.size(); r++) {
            assertEquals(expected.get(r).size(), actual.size(1), what);
            for (int c = 0; c < expected.get(r).size(); c++) {
                double e = expected.get(r).get(c).asDouble();
                max = Math.max(max, Math.abs(e));
                diff = Math.max(diff, Math.abs(e - actual.getDouble(r, c)));
            }
        }
        assertTrue(diff <= 1e-4 * Math.max(1, max), what + ": max |difference| " + diff + " (max |logit| " + max + ")");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"alexnet,SEEDED", "vgg16,SEEDED", "vgg19,SEEDED", "resnet18,SEEDED", "resnet34,SEEDED",
            "resnet50,SEEDED", "resnet101,SEEDED", "resnet152,SEEDED", "googlenet,SEEDED", "inception_v3,SEEDED",
            "mobilenet_v2,SEEDED", "efficientnet_b0,SEEDED", "resnet18,SEEDED_LEGACY", "mobilenet_v2,SEEDED_LEGACY"})
    @Timeout(600)
    void publishedLayoutGivesTorchvisionsLogits(String network, String kind) throws Exception {
        JsonNode fixture = fixture(network);
        CounterGenerator generator = new CounterGenerator(fixture.get("seed").asLong());
        String id = network + "." + kind;

        // the raw tensor through 'cnnzoo infer'
        JsonNode shape = fixture.get("input");
        long[] inputShape = {shape.get(0).asLong(), shape.get(1).asLong(), shape.get(2).asLong(), shape.get(3).asLong()};
        Path in = dir.resolve(id + ".in.npy");
        Path out = dir.resolve(id + ".out.npy");
        Npy.write(in, Nd4j.create(generator.tensor("input", inputShape).values(), inputShape, 'c'));
        MainTest.Result r = MainTest.run("infer", "--model", network, "--weights", id, "--tensor", in.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertLogits(fixture.get("logits"), Npy.read(out), id + " via cnnzoo infer");
        if (network.equals("inception_v3")) {
            assertTrue(r.err().contains("skipped") && r.err().contains("AuxLogits"), r.err());
        }

        // the seeded image through predict's preprocessing, from the entry
        LoadedModel m = ModelLoader.load(new ModelRequest(network, id, null, null, 42, new WeightStore(store),
                WeightStore.Fetching.quiet().withOffline(true)));
        Runs.Loaded run = RunFolders.forPrediction(m, null, null);
        INDArray x = Predictor.inputs(run.info(), ImageDecoder.read(image(generator, fixture.get("image_side").asInt(),
                dir.resolve(id + ".png")), 3), 1);
        assertLogits(fixture.get("image_logits"), Logits.of(m.graph(), x), id + " via predict's preprocessing");
    }

    @org.junit.jupiter.api.Test
    @Timeout(600)
    void fineTuningStartsFromAnEntrysWeightsAndPreprocessingAndFeaturesOnlyWeightsCannotPredict() throws Exception {
        Path photos = TestPhotos.twoColours(dir.resolve("photos"));
        MainTest.Result t = MainTest.run("transfer", "--model", "mobilenet_v2", "--weights", "mobilenet_v2.SEEDED",
                "--input", "64,64,3", "--data", photos.toString(), "--split", "0.6,0.2,0.2", "--epochs", "1",
                "--regime", "head", "--cache", dir.resolve("cache").toString(), "--out", dir.resolve("run").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("normalisation from weights mobilenet_v2.SEEDED"), t.err());
        JsonNode run = JSON.readTree(dir.resolve("run").resolve("run.json").toFile());
        assertEquals("mobilenet_v2 + mobilenet_v2.SEEDED", run.get("base").asText());
        assertEquals(0.229, run.get("normalization").get("std").get(0).asDouble(), 1e-12);

        Path image = image(new CounterGenerator(1), 80, dir.resolve("any.png"));
        MainTest.Result refused = MainTest.run("predict", "--model", "resnet18", "--weights", "resnet18.SEEDED_FEATURES",
                image.toString());
        assertEquals(Main.BAD_INPUT, refused.code());
        assertTrue(refused.err().contains("features only"), refused.err());
        MainTest.Result features = MainTest.run("transfer", "--model", "resnet18", "--weights", "resnet18.SEEDED_FEATURES",
                "--input", "64,64,3", "--data", photos.toString(), "--split", "0.6,0.2,0.2", "--epochs", "1",
                "--regime", "head", "--cache", dir.resolve("cache").toString(), "--out", dir.resolve("feat").toString());
        assertEquals(0, features.code(), features.err());
        assertTrue(features.err().contains("features of resnet18 + resnet18.SEEDED_FEATURES"), features.err());

        // a .pth file named by its path works wherever --weights does; verify and import take it too
        Path pth = store.resolve("resnet18-seeded.pth");
        MainTest.Result byFile = MainTest.run("predict", "--model", "resnet18", "--weights", pth.toString(), "--top", "2",
                image.toString());
        assertEquals(0, byFile.code(), byFile.err());
        assertTrue(byFile.err().contains("from weights resnet18.SEEDED"), byFile.err());
        MainTest.Result verify = MainTest.run("weights", "verify", pth.toString(), "--id", "resnet18.SEEDED");
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("PyTorch checkpoint") && verify.out().contains("matches resnet18.SEEDED")
                && verify.out().contains("every tensor found"), verify.out());
        MainTest.Result imported = MainTest.run("weights", "import", pth.toString(), "--model", "resnet18", "--out",
                dir.resolve("r18.zip").toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(Files.size(dir.resolve("r18.zip")) > 40_000_000L);
        Npy.write(dir.resolve("small.npy"), Nd4j.rand(1, 3, 64, 64));
        MainTest.Result wrongNet = MainTest.run("infer", "--model", "resnet34", "--weights", "resnet18.SEEDED", "--tensor",
                dir.resolve("small.npy").toString(), "--out", dir.resolve("x.npy").toString());
        assertEquals(Main.BAD_INPUT, wrongNet.code());
        assertTrue(wrongNet.err().contains("are for resnet18, not resnet34"), wrongNet.err());

        MainTest.Result list = MainTest.run("weights", "list", "--model", "resnet18");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("resnet18.IMAGENET1K_V1") && list.out().contains("resnet18.SEEDED")
                && list.out().contains("69.758") && !list.out().contains("resnet50"), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("resnet18.SEEDED ") && l.contains(" yes ")), list.out());
    }

    /** The script's image: pixel = floor(256 u("image", i)) in HWC RGB order, written as a lossless PNG. */
    private static Path image(CounterGenerator generator, int side, Path file) {
        byte[] rgb = new byte[side * side * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) Math.floor(256 * generator.uniform("image", i));
        }
        Mat mat = new Mat(side, side, opencv_core.CV_8UC3);
        mat.data().put(rgb);
        Mat bgr = new Mat();
        opencv_imgproc.cvtColor(mat, bgr, opencv_imgproc.COLOR_RGB2BGR);
        assertTrue(opencv_imgcodecs.imwrite(file.toString(), bgr), "could not write " + file);
        return file;
    }
}
