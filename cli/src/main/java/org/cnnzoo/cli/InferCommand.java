package org.cnnzoo.cli;

import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.load.LoadedModel;
import org.cnnzoo.zoo.inference.Logits;
import org.cnnzoo.zoo.weights.Npy;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code cnnzoo infer}: raw numbers in, raw numbers out, for checking against other frameworks. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run a zoo network with given weights on an NCHW float32 .npy tensor; write its logits as .npy.")
final class InferCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Zoo network name.")
    String model;

    @Option(names = "--weights", required = true, paramLabel = "ID|FILE", description = "An id or alias from 'cnnzoo"
            + " weights list', a PyTorch .pth, a .safetensors (torchvision/timm names) or a DL4J .zip.")
    String weights;

    @Option(names = "--tensor", required = true, paramLabel = "IN.npy", description = "Input, float32, shape N x C x H x W.")
    Path tensor;

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Logits, float32, N x classes.")
    Path out;

    @Option(names = "--classes", converter = Values.Positive.class,
            description = "Classes of the weights' classifier (default 1000, ImageNet's).")
    Integer classes;

    @Override
    public Integer call() throws Exception {
        INDArray x = Npy.read(tensor);
        if (x.rank() != 4) {
            throw new IllegalArgumentException(tensor + " has shape " + Arrays.toString(x.shape())
                    + "; expected N x C x H x W");
        }
        if (!Zoo.has(model)) {
            throw new IllegalArgumentException("--model " + model + " is not a zoo network ('cnnzoo models' lists them)");
        }
        long channels = Zoo.get(model).create().channels();
        if (x.size(1) != channels) {
            throw new IllegalArgumentException(tensor + " has shape " + Arrays.toString(x.shape()) + ": " + model
                    + " takes N x " + channels + " x H x W (NCHW)" + (x.size(3) == channels
                    ? "; this looks channels-last (NHWC): save np.transpose(x, (0, 3, 1, 2)) instead" : ""));
        }
        InputShape input = new InputShape((int) x.size(2), (int) x.size(3), (int) x.size(1));
        LoadedModel loaded = Loading.load(model, weights, input, classes, 42, spec.commandLine().getErr());
        ComputationGraph graph = loaded.graph();
        INDArray logits = Logits.of(graph, x);
        Npy.write(out, logits);
        spec.commandLine().getOut().printf("wrote %s: logits %s%n", out, Arrays.toString(logits.shape()));
        return 0;
    }
}
