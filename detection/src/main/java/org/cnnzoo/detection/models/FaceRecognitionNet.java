package org.cnnzoo.detection.models;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * face-api's face recognition network (a port of dlib's ResNet-34-like face descriptor): a 150x150 face in, a
 * 128-number descriptor out, trained so that two pictures of one person lie closer than 0.6 (Euclidean) and two
 * people further apart: the course's encoding f(x) for one-shot verification, already learnt.
 *
 * <p>Read like its source: a 7x7 stride-2 convolution and a 3x3 max pool, then residual stages of 3, 4, 3 and 3
 * blocks at 32, 64, 128 and 256 channels, and one last downsampling block; global average pooling and a 256x128
 * matrix. Every convolution has a bias followed by a per-channel scale and shift; the loader folds the scale into
 * the convolution (w * s, b * s + t), so one vertex holds each face-api convolution under its name
 * ({@code conv64_down.conv1}). Strided convolutions use 'valid' padding, the others 'same'.
 *
 * <p>A downsampling block adds its two 3x3 convolutions to a 2x2 average pool of its input with zero channels
 * appended (residual networks' option A shortcut). Where the valid strided convolution comes out one smaller than
 * the pool (8 -> 3 against 4, and 4 -> 1 against 2 at 150 px), face-api pads its output with a zero row and column
 * at the bottom/right; so does this graph.
 */
public final class FaceRecognitionNet extends Architecture<FaceRecognitionNet> {
    /** Channels and residual blocks of each stage (the first block of stages 2-4 downsamples). */
    private static final int[] WIDTHS = {32, 64, 128, 256};
    private static final int[] BLOCKS = {3, 4, 3, 3};
    public static final int DESCRIPTOR = 128;
    public static final int SIZE = 150;

    private FaceRecognitionNet() {
        super("face_recognition", SIZE, 3, DESCRIPTOR);
    }

    public static FaceRecognitionNet faceRecognition() {
        return new FaceRecognitionNet();
    }

    @Override
    protected void define(NetBuilder net) {
        net.stage("stem");
        Node x = net.conv("conv32_down", net.input(), WIDTHS[0], 7, 2, 0, true);
        x = net.activation("conv32_down.relu", x, Activation.RELU);
        x = net.maxPool("pool", x, 3, 2, 0);
        for (int s = 0; s < WIDTHS.length; s++) {
            String prefix = "conv" + WIDTHS[s];
            net.stage(prefix);
            if (s > 0) {
                x = down(net, prefix + "_down", x, WIDTHS[s]);
            }
            // stage 1 has 3 plain blocks; the later stages count their downsampling block among theirs
            int plain = s == 0 ? BLOCKS[s] : BLOCKS[s] - 1;
            for (int b = 1; b <= plain; b++) {
                x = residual(net, prefix + "_" + b, x);
            }
        }
        net.stage("head");
        x = down(net, "conv256_down_out", x, WIDTHS[WIDTHS.length - 1]);
        x = net.globalAvgPool("avg", x, false);
        net.rawOutput(net.linear("fc", x, DESCRIPTOR));
    }

    private static Node residual(NetBuilder net, String name, Node in) {
        Node out = net.conv(name + ".conv1", in, in.channels(), 3, 1, 1, true);
        out = net.activation(name + ".conv1.relu", out, Activation.RELU);
        out = net.conv(name + ".conv2", out, in.channels(), 3, 1, 1, true);
        return net.activation(name + ".relu", net.add(name + ".sum", out, in), Activation.RELU);
    }

    private static Node down(NetBuilder net, String name, Node in, int width) {
        Node out = net.conv(name + ".conv1", in, width, 3, 2, 0, true);
        out = net.activation(name + ".conv1.relu", out, Activation.RELU);
        out = net.conv(name + ".conv2", out, width, 3, 1, 1, true);
        Node shortcut = net.avgPool(name + ".pool", in, 2, 2, 0);
        if (shortcut.channels() != width) {
            shortcut = net.doubleWithZeroChannels(name + ".shortcut", shortcut);
        }
        int extraH = shortcut.height() - out.height();
        int extraW = shortcut.width() - out.width();
        if (extraH != 0 || extraW != 0) {
            out = net.zeroPad(name + ".pad", out, 0, extraH, 0, extraW);
        }
        return net.activation(name + ".relu", net.add(name + ".sum", shortcut, out), Activation.RELU);
    }
}
