package org.cnnzoo.zoo.models;

import org.cnnzoo.zoo.build.Kernel;
import org.cnnzoo.zoo.build.Stride;
import org.cnnzoo.zoo.build.Padding;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.blocks.ConvBnAct;
import org.cnnzoo.zoo.blocks.InceptionModule;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.Activation;

/**
 * GoogLeNet / Inception v1 (Szegedy et al., 2014, "Going deeper with convolutions") as torchvision builds it:
 * batch norm after every convolution, nine inception modules, 6,624,904 parameters.
 *
 * <p>With {@link #optAuxClassifiers(boolean)} the graph gets the paper's two auxiliary classifiers (after
 * inception 4a and 4d: 5x5/3 average pool, 1x1 convolution to 128, FC 1024, 70% dropout, softmax) as extra outputs
 * whose losses are weighted by 0.3; then it has 13,004,888 parameters. The main output is always the first.
 */
public final class GoogLeNet extends Architecture<GoogLeNet> {
    /** Auxiliary losses count this much of the total, as in the paper. */
    public static final double AUX_LOSS_WEIGHT = 0.3;

    private boolean auxClassifiers;
    private int kernel3 = InceptionModule.TORCHVISION_KERNEL;

    private GoogLeNet() {
        super("googlenet", 224, 3);
    }

    public static GoogLeNet googlenet() {
        return new GoogLeNet();
    }

    /** Adds the two auxiliary classifiers as extra outputs (default off, as in torchvision's pretrained model). */
    public GoogLeNet optAuxClassifiers(boolean aux) {
        this.auxClassifiers = aux;
        return this;
    }

    /** Uses the paper's 5x5 kernel in the third branch instead of torchvision's 3x3. */
    public GoogLeNet optPaperKernels(boolean paper) {
        this.kernel3 = paper ? InceptionModule.PAPER_KERNEL : InceptionModule.TORCHVISION_KERNEL;
        return this;
    }

    @Override
    protected boolean supportsTransformInput() {
        return true;
    }

    /** The published checkpoint has no auxiliary weights; a network with them keeps them randomly initialised. */
    @Override
    public java.util.List<String> auxiliaryPrefixes() {
        return java.util.List.of("aux1.", "aux2.");
    }

    @Override
    protected void define(NetBuilder net) {
        net.stage("stem");
        Node x = ConvBnAct.basicConv2d("conv1").apply(net, net.input(), 64, Kernel.square(7), Stride.TWO, Padding.of(3));
        x = net.maxPoolCeil("maxpool1", x, 3, 2, 0);
        x = ConvBnAct.basicConv2d("conv2").apply(net, x, 64, Kernel.square(1), Stride.ONE, Padding.NONE);
        x = ConvBnAct.basicConv2d("conv3").apply(net, x, 192, Kernel.square(3), Stride.ONE, Padding.of(1));
        x = net.maxPoolCeil("maxpool2", x, 3, 2, 0);
        net.stage(null);                            // then each inception module and pooling is a stage

        x = new InceptionModule(64, 96, 128, 16, 32, 32).apply(net, "inception3a", x, kernel3);
        x = new InceptionModule(128, 128, 192, 32, 96, 64).apply(net, "inception3b", x, kernel3);
        x = net.maxPoolCeil("maxpool3", x, 3, 2, 0);

        Node after4a = x = new InceptionModule(192, 96, 208, 16, 48, 64).apply(net, "inception4a", x, kernel3);
        x = new InceptionModule(160, 112, 224, 24, 64, 64).apply(net, "inception4b", x, kernel3);
        x = new InceptionModule(128, 128, 256, 24, 64, 64).apply(net, "inception4c", x, kernel3);
        Node after4d = x = new InceptionModule(112, 144, 288, 32, 64, 64).apply(net, "inception4d", x, kernel3);
        x = new InceptionModule(256, 160, 320, 32, 128, 128).apply(net, "inception4e", x, kernel3);
        x = net.maxPoolCeil("maxpool4", x, 2, 2, 0);

        x = new InceptionModule(256, 160, 320, 32, 128, 128).apply(net, "inception5a", x, kernel3);
        x = new InceptionModule(384, 192, 384, 48, 128, 128).apply(net, "inception5b", x, kernel3);

        x = net.globalAvgPool("avgpool", x, false);
        x = net.dropout("dropout", x, 0.2);
        net.output("fc", x, classes(), 1.0);

        if (auxClassifiers) {
            auxClassifier(net, "aux1", after4a);
            auxClassifier(net, "aux2", after4d);
        }
    }

    private void auxClassifier(NetBuilder net, String prefix, Node in) {
        Node x = net.avgPool(prefix + ".avgpool", in, 5, 3, 0);
        x = ConvBnAct.basicConv2d(prefix + ".conv").apply(net, x, 128, Kernel.square(1), Stride.ONE, Padding.NONE);
        x = net.dense(prefix + ".fc1", x, 1024, Activation.RELU);
        x = net.dropout(prefix + ".dropout", x, 0.7);
        net.output(prefix + ".fc2", x, classes(), AUX_LOSS_WEIGHT);
    }
}
