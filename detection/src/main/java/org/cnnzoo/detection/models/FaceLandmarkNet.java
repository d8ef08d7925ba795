package org.cnnzoo.detection.models;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * face-api's 68-point face landmark network (the course's landmark detection: a network that regresses the
 * coordinates of points on a face): four densely connected blocks, each halving the picture with a strided
 * convolution and then adding up to four depthwise-separable convolutions' outputs (every one fed the ReLU of the
 * sum so far), global average pooling, and a dense layer to 136 numbers, the (x, y) of 68 points as fractions of
 * the 112x112 input. TensorFlow's 'same' padding throughout. Vertex names are face-api's weight names
 * ({@code dense2.conv1.pointwise}).
 */
public final class FaceLandmarkNet extends Architecture<FaceLandmarkNet> {
    /** Channels of each dense block (face-api's face_landmark_68; the tiny variant is another table). */
    private static final int[] BLOCKS = {32, 64, 128, 256};
    /** Convolutions in a block: the strided one and three separable ones. */
    private static final int CONVS = 4;
    public static final int POINTS = 68;

    private FaceLandmarkNet() {
        super("face_landmark_68", 112, 3, 2 * POINTS);
    }

    public static FaceLandmarkNet faceLandmark68() {
        return new FaceLandmarkNet();
    }

    @Override
    protected void define(NetBuilder net) {
        Node x = net.input();
        for (int b = 0; b < BLOCKS.length; b++) {
            String block = "dense" + b;
            net.stage(block);
            Node first = b == 0
                    ? net.convSame(block + ".conv0", x, BLOCKS[b], 3, 2, true)
                    : separable(net, block + ".conv0", x, BLOCKS[b], 2);
            Node in = net.activation(block + ".conv0.relu", first, Activation.RELU);
            Node total = in;                              // face-api sums the first output after its ReLU
            for (int i = 1; i < CONVS; i++) {
                Node out = separable(net, block + ".conv" + i, in, BLOCKS[b], 1);
                total = net.add(block + ".sum" + i, total, out);
                in = net.activation(block + ".sum" + i + ".relu", total, Activation.RELU);
            }
            x = in;
        }
        net.stage("fc");
        x = net.globalAvgPool("pool", x, false);
        net.rawOutput(net.dense("fc", x, classes(), Activation.IDENTITY));
    }

    private static Node separable(NetBuilder net, String name, Node in, int filters, int stride) {
        Node depthwise = net.depthwiseSame(name + ".depthwise", in, 3, stride);
        return net.conv(name + ".pointwise", depthwise, filters, 1, 1, 0, true);
    }
}
