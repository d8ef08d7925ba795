package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * AlexNet (Krizhevsky, Sutskever, Hinton, 2012, "ImageNet classification with deep convolutional neural
 * networks") in torchvision's single-tower layout (from "One weird trick", Krizhevsky 2014): 61,100,840 parameters.
 * The paper's two-GPU split and local response normalisation are not part of it.
 *
 * <p>Without batch norm these deep plain stacks diverge under Adam at 1e-3 (measured: the loss saturates within
 * three steps), so their default updater is Adam at 1e-4 and their fully connected layers start Xavier-scaled.
 */
public final class AlexNet extends Architecture<AlexNet> {

    private AlexNet() {
        super("alexnet", 224, 3);
        optUpdater(new Adam(1e-4));
    }

    public static AlexNet alexnet() {
        return new AlexNet();
    }

    @Override
    protected void define(NetBuilder net) {
        // stages: the paper's five convolutional layers, each with the pooling that follows it
        net.stage("conv1");
        Node x = net.conv("features.0", net.input(), 64, 11, 4, 2, Activation.RELU);
        x = net.maxPool("features.2", x, 3, 2, 0);
        net.stage("conv2");
        x = net.conv("features.3", x, 192, 5, 1, 2, Activation.RELU);
        x = net.maxPool("features.5", x, 3, 2, 0);
        net.stage("conv3");
        x = net.conv("features.6", x, 384, 3, 1, 1, Activation.RELU);
        net.stage("conv4");
        x = net.conv("features.8", x, 256, 3, 1, 1, Activation.RELU);
        net.stage("conv5");
        x = net.conv("features.10", x, 256, 3, 1, 1, Activation.RELU);
        x = net.maxPool("features.12", x, 3, 2, 0);
        net.stage(null);
        x = net.adaptiveAvgPool("avgpool", x, 6);
        x = net.dropout("classifier.0", x, 0.5);
        x = net.dense("classifier.1", x, 4096, Activation.RELU);
        x = net.dropout("classifier.3", x, 0.5);
        x = net.dense("classifier.4", x, 4096, Activation.RELU);
        net.output("classifier.6", x, classes(), 1.0);
    }
}
