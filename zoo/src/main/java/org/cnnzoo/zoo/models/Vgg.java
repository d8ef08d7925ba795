package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * VGG (Simonyan and Zisserman, 2014, "Very deep convolutional networks for large-scale image recognition"):
 * stacks of 3x3 same convolutions doubling the filters after each 2x2 max pool, then three fully connected
 * layers. Configurations D (VGG-16, 138,357,544 parameters) and E (VGG-19, 143,667,240).
 *
 * <p>Without batch norm these deep plain stacks diverge under Adam at 1e-3 (measured: the loss saturates within
 * three steps), so their default updater is Adam at 1e-4 and their fully connected layers start Xavier-scaled.
 */
public final class Vgg extends Architecture<Vgg> {
    /** Filters per convolution; 0 is a max pool. The paper's table 1, columns D and E. */
    private static final int[] CONFIG_D = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    private static final int[] CONFIG_E = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0,
            512, 512, 512, 512, 0};

    private final int[] config;

    private Vgg(String name, int[] config) {
        super(name, 224, 3);
        this.config = config;
        optUpdater(new Adam(1e-4));
    }

    public static Vgg vgg16() {
        return new Vgg("vgg16", CONFIG_D);
    }

    public static Vgg vgg19() {
        return new Vgg("vgg19", CONFIG_E);
    }

    @Override
    protected void define(NetBuilder net) {
        Node x = net.input();
        int index = 0;
        int group = 1;
        net.stage("conv1");
        for (int filters : config) {
            if (filters == 0) {
                x = net.maxPool("features." + index, x, 2, 2, 0);     // closes the paper's conv group
                index += 1;
                net.stage("conv" + ++group);
            } else {
                x = net.conv("features." + index, x, filters, 3, 1, 1, Activation.RELU);
                index += 2;                                      // the ReLU is folded into the convolution
            }
        }
        net.stage(null);
        x = net.adaptiveAvgPool("avgpool", x, 7);
        x = net.dense("classifier.0", x, 4096, Activation.RELU);
        x = net.dropout("classifier.2", x, 0.5);
        x = net.dense("classifier.3", x, 4096, Activation.RELU);
        x = net.dropout("classifier.5", x, 0.5);
        net.output("classifier.6", x, classes(), 1.0);
    }
}
