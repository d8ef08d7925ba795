package org.cnnzoo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.Backend;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The question whether training through SameDiff beats DL4J's layer API: ResNet-18 (torchvision's
 * layout, stages [2, 2, 2, 2]) written as a SameDiff graph of the same libnd4j ops (conv2d, batch norm with the
 * batch's statistics, relu, add, pooling, softmax cross-entropy), trained with the same Nesterov momentum on the
 * same batch as {@link Dl4jNetworkBench}, timed the same way. A measurement, not a second implementation of the
 * zoo: the network has no running statistics and is not saved.
 *
 * <p>{@code bench/run.sh SameDiffTraining [BATCH] [WARMUP REPEATS SECONDS]} prints one JSON object.
 */
public final class SameDiffTraining {
    private final SameDiff sd = SameDiff.create();
    private int layer;

    private SameDiffTraining() {
    }

    private SDVariable conv(SDVariable x, int in, int out, int k, int stride) {
        String name = "conv" + layer++;
        double std = Math.sqrt(2.0 / (out * k * k));        // He (fan-out), torchvision's ResNet initialisation
        SDVariable w = sd.var(name + "_w", Nd4j.randn(DataType.FLOAT, k, k, in, out).muli(std));
        Conv2DConfig c = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(k / 2).pW(k / 2).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        return sd.cnn().conv2d(name, x, w, c);
    }

    /**
     * Batch norm in training, from element-wise ops: SameDiff's own batchNorm op cannot be differentiated in
     * M2.1 (its gradient op is built without the axis and throws), which is itself part of the answer.
     */
    private SDVariable bn(SDVariable x, int channels) {
        String name = "bn" + layer++;
        SDVariable gamma = sd.var(name + "_g", Nd4j.ones(DataType.FLOAT, 1, channels, 1, 1));
        SDVariable beta = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, channels, 1, 1));
        SDVariable centred = x.sub(sd.mean(x, true, 0, 2, 3));
        SDVariable var = sd.mean(centred.mul(centred), true, 0, 2, 3);
        return centred.mul(sd.math().rsqrt(var.add(1e-5))).mul(gamma).add(beta);
    }

    private SDVariable block(SDVariable x, int in, int out, int stride) {
        SDVariable y = sd.nn().relu(bn(conv(x, in, out, 3, stride), out), 0);
        y = bn(conv(y, out, out, 3, 1), out);
        SDVariable shortcut = stride != 1 || in != out ? bn(conv(x, in, out, 1, stride), out) : x;
        return sd.nn().relu(y.add(shortcut), 0);
    }

    private SameDiff resnet18() {
        SDVariable x = sd.placeHolder("input", DataType.FLOAT, -1, 3, 224, 224);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 1000);
        SDVariable y = sd.nn().relu(bn(conv(x, 3, 64, 7, 2), 64), 0);
        y = sd.cnn().maxPooling2d(y, Pooling2DConfig.builder().kH(3).kW(3).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build());
        int[] widths = {64, 128, 256, 512};
        int[] blocks = {2, 2, 2, 2};
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < blocks[stage]; b++) {
                y = block(y, in, widths[stage], b == 0 && stage > 0 ? 2 : 1);
                in = widths[stage];
            }
        }
        SDVariable pooled = sd.mean(y, 2, 3);
        SDVariable w = sd.var("fc_w", Nd4j.randn(DataType.FLOAT, 512, 1000).muli(Math.sqrt(1.0 / 512)));
        SDVariable b = sd.var("fc_b", Nd4j.zeros(DataType.FLOAT, 1, 1000));
        SDVariable logits = pooled.mmul(w).add(b);
        sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Nesterovs(1e-3, 0.9))
                .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());
        return sd;
    }

    public static Map<String, Object> measure(int batch, int warmup, int repeats, double seconds) {
        Nd4j.getRandom().setSeed(1);
        SameDiff sd = new SameDiffTraining().resnet18();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 224, 224);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 1000);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 1000, 1);
        }
        DataSet data = new DataSet(x, y);
        double[] r = Dl4jNetworkBench.timed(() -> sd.fit(data), batch, warmup, repeats, seconds);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("framework", "samediff 1.0.0-M2.1");
        out.put("model", "resnet18");
        out.put("batch", batch);
        out.put("training_batch", r[0]);
        out.put("load_training_batch", r[1]);
        return out;
    }

    public static void main(String[] args) throws Exception {
        Backend.init();
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 1;
        System.out.println(new ObjectMapper().writeValueAsString(measure(batch, warmup, repeats, seconds)));
        System.exit(0);
    }
}
