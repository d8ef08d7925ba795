package org.cnnzoo.cli;

import org.cnnzoo.zoo.models.ResNet;
import org.cnnzoo.zoo.inference.Logits;
import org.cnnzoo.zoo.weights.Npy;
import org.cnnzoo.zoo.weights.Weights;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** infer, predict and transfer with a weights file in torchvision's layout. */
class WeightsCommandsTest {
    @TempDir
    Path dir;

    /** ResNet-18 weights with torchvision key names and random values, as a .safetensors file. */
    private Path weights() throws Exception {
        Random random = new Random(5);
        return TestWeights.resnet18(dir.resolve("resnet18.safetensors"), (key, i) ->
                key.endsWith("running_var") ? 0.5 + random.nextFloat() : (random.nextFloat() - 0.5) * 0.1);
    }

    @Test
    void inferWritesTheLogitsOfTheLoadedWeights() throws Exception {
        Path w = weights();
        INDArray x = Nd4j.rand(2, 3, 64, 64);
        Npy.write(dir.resolve("in.npy"), x);
        MainTest.Result r = MainTest.run("infer", "--model", "resnet18", "--weights", w.toString(), "--tensor",
                dir.resolve("in.npy").toString(), "--out", dir.resolve("out.npy").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[2, 1000]"), r.out());
        ComputationGraph g = ResNet.resnet18().optInput(64, 64, 3).init();
        Weights.load(g, w);
        assertTrue(Logits.of(g, x).equalsWithEps(Npy.read(dir.resolve("out.npy")), 1e-5));

        Npy.write(dir.resolve("flat.npy"), Nd4j.rand(2, 10));
        MainTest.Result bad = MainTest.run("infer", "--model", "resnet18", "--weights", w.toString(), "--tensor",
                dir.resolve("flat.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("expected N x C x H x W"), bad.err());

        // channels-last input is named as such, not reported as a weights mismatch
        Npy.write(dir.resolve("nhwc.npy"), Nd4j.rand(1, 64, 64, 3));
        MainTest.Result nhwc = MainTest.run("infer", "--model", "resnet18", "--weights", w.toString(), "--tensor",
                dir.resolve("nhwc.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(Main.BAD_INPUT, nhwc.code());
        assertTrue(nhwc.err().contains("looks channels-last (NHWC)") && !nhwc.err().contains("\tat "), nhwc.err());
        // a malformed .npy is one line naming the file
        java.nio.file.Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(
                java.nio.file.Files.readAllBytes(dir.resolve("in.npy")), 200));
        MainTest.Result cut = MainTest.run("infer", "--model", "resnet18", "--weights", w.toString(), "--tensor",
                dir.resolve("cut.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(Main.BAD_INPUT, cut.code());
        assertTrue(cut.err().contains("cut.npy") && cut.err().contains("truncated") && !cut.err().contains("\tat "),
                cut.err());
    }

    @Test
    void predictWithAZooNameNeedsWeightsAndNamesImageNetClasses() throws Exception {
        Path w = weights();
        Path image = dir.resolve("x.png");
        org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(image.toString(),
                new org.bytedeco.opencv.opencv_core.Mat(80, 90, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                        new org.bytedeco.opencv.opencv_core.Scalar(10, 120, 200, 0)));
        MainTest.Result p = MainTest.run("predict", "--model", "resnet18", "--weights", w.toString(), "--top", "3",
                image.toString());
        assertEquals(0, p.code(), p.err());
        long named = Weights.IMAGENET_CLASSES.stream().filter(c -> p.out().contains(c)).count();
        assertTrue(named >= 3, p.out());
        MainTest.Result none = MainTest.run("predict", "--model", "resnet18", image.toString());
        assertEquals(Main.BAD_INPUT, none.code());
        assertTrue(none.err().contains("--weights"), none.err());
    }

    @Test
    void transferStartsFromTheWeightsFile() throws Exception {
        Path w = weights();
        for (String cls : new String[]{"a", "b"}) {
            java.nio.file.Files.createDirectories(dir.resolve("data").resolve(cls));
            for (int i = 0; i < 6; i++) {
                org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(dir.resolve("data/" + cls + "/" + i + ".png").toString(),
                        new org.bytedeco.opencv.opencv_core.Mat(40, 40, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                                new org.bytedeco.opencv.opencv_core.Scalar(cls.equals("a") ? 20 : 200, 90, 40 * i, 0)));
            }
        }
        MainTest.Result t = MainTest.run("transfer", "--model", "resnet18", "--weights", w.toString(), "--input",
                "32,32,3", "--data", dir.resolve("data").toString(), "--split", "0.5,0.17,0.33", "--epochs", "2",
                "--cache", dir.resolve("cache").toString(), "--out", dir.resolve("run").toString());
        assertEquals(0, t.code(), t.err());
        String run = java.nio.file.Files.readString(dir.resolve("run/run.json"));
        ComputationGraph g = ResNet.resnet18().optInput(32, 32, 3).init();
        Weights.load(g, w);
        assertTrue(run.contains(org.cnnzoo.transfer.TransferJob.weightsHash(g)), "run.json must name the weights' hash");
    }
}
