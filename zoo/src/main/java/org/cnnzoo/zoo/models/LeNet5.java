package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * LeNet-5 (LeCun et al., 1998, "Gradient-based learning applied to document recognition"): two 5x5
 * convolution + subsampling stages and three fully connected layers, 61,706 parameters for a 32x32x1 input and
 * 10 classes.
 *
 * <p>{@link #classic()} keeps the paper's tanh and average pooling; {@link #modern()} is the course's version
 * with ReLU and max pooling. Both connect C3 to all of S2's maps and end in softmax rather than the paper's RBF
 * units.
 */
public final class LeNet5 extends Architecture<LeNet5> {
    private final Activation activation;
    private final boolean maxPooling;

    private LeNet5(String name, Activation activation, boolean maxPooling) {
        super(name, 32, 1, 10);
        this.activation = activation;
        this.maxPooling = maxPooling;
    }

    /** The course's LeNet-5: ReLU and max pooling. */
    public static LeNet5 modern() {
        return new LeNet5("lenet5", Activation.RELU, true);
    }

    /** The paper's LeNet-5: tanh and average pooling. */
    public static LeNet5 classic() {
        return new LeNet5("lenet5_1998", Activation.TANH, false);
    }

    @Override
    protected void define(NetBuilder net) {
        net.stage("conv1");
        Node x = net.conv("conv1", net.input(), 6, 5, 1, 0, activation);       // C1: 6@28x28
        x = pool(net, "pool1", x);                                           // S2: 6@14x14
        net.stage("conv2");
        x = net.conv("conv2", x, 16, 5, 1, 0, activation);                   // C3: 16@10x10
        x = pool(net, "pool2", x);                                           // S4: 16@5x5
        net.stage(null);
        x = net.dense("fc1", x, 120, activation);                            // C5: 120
        x = net.dense("fc2", x, 84, activation);                             // F6: 84
        net.output("fc3", x, classes(), 1.0);                                // output
    }

    private Node pool(NetBuilder net, String name, Node x) {
        return maxPooling ? net.maxPool(name, x, 2, 2, 0) : net.avgPool(name, x, 2, 2, 0);
    }
}
