package org.cnnzoo.zoo;

import org.cnnzoo.zoo.graph.ChannelAffine;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Stages;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;

/**
 * A network of the zoo: its options (classes, input size, seed, updater) and how it is built. Each family is one
 * subclass whose named factories give the paper's variants, e.g. {@code ResNet.resnet50().optClasses(10).init()}.
 *
 * @param <T> the concrete family, so that the {@code opt*} setters chain
 */
public abstract class Architecture<T extends Architecture<T>> {
    private final String name;
    private int classes;
    private int height;
    private int width;
    private int channels;
    private long seed = 42;
    private IUpdater updater = new Adam(1e-3);
    private boolean transformInput;

    protected Architecture(String name, int defaultSize, int defaultChannels) {
        this(name, defaultSize, defaultChannels, 1000);
    }

    protected Architecture(String name, int defaultSize, int defaultChannels, int defaultClasses) {
        this.name = name;
        this.classes = defaultClasses;
        this.height = defaultSize;
        this.width = defaultSize;
        this.channels = defaultChannels;
    }

    /** The zoo name of this variant, e.g. {@code resnet50}. */
    public String name() {
        return name;
    }

    public int classes() {
        return classes;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** Number of output classes (default 1000, ImageNet's; 10 for LeNet-5). */
    public T optClasses(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        this.classes = classes;
        return self();
    }

    /** Input height, width and channels (default: the paper's input). */
    public T optInput(int height, int width, int channels) {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input must be positive height, width and channels, got "
                    + height + "x" + width + "x" + channels);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        return self();
    }

    /** Seed of the weight initialisation (default 42). */
    public T optSeed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Updater used by fit() (default Adam with learning rate 1e-3). */
    public T optUpdater(IUpdater updater) {
        this.updater = updater;
        return self();
    }

    /**
     * Re-normalises ImageNet-normalised input inside the network to (x - 0.5) / 0.5, as torchvision does for
     * GoogLeNet's and Inception v3's published weights ({@code transform_input}); default off.
     *
     * @throws IllegalArgumentException for networks that have no such option in torchvision
     */
    public T optTransformInput(boolean transform) {
        if (transform && !supportsTransformInput()) {
            throw new IllegalArgumentException(name + " has no transform_input option (only googlenet and inception_v3)");
        }
        this.transformInput = transform;
        return self();
    }

    public boolean transformInput() {
        return transformInput;
    }

    /** Whether torchvision's builder of this network has {@code transform_input}. */
    protected boolean supportsTransformInput() {
        return false;
    }

    /**
     * State-dict key prefixes of optional heads (auxiliary classifiers): a checkpoint may have them when the
     * network does not, or lack them when it does; weights load either way, saying what was skipped.
     */
    public List<String> auxiliaryPrefixes() {
        return List.of();
    }

    /** Adds this network's vertices, from {@code net.input()} to its output layer(s). */
    protected abstract void define(NetBuilder net);

    /** The DL4J configuration of this network with the options set so far. */
    public ComputationGraphConfiguration build() {
        Backend.init();
        NetBuilder net = new NetBuilder(height, width, channels, seed, updater);
        define(net);
        ComputationGraphConfiguration conf = net.build();
        if (transformInput) {
            ChannelAffine.torchvisionTransformInput().applyAtInput(conf);
        }
        return conf;
    }

    /**
     * The network's stages as its builder groups them (the paper's table: stem, stages, pooling, classifier), which
     * freezing and fine-tuning count in.
     */
    public Stages stages() {
        NetBuilder net = new NetBuilder(height, width, channels, seed, updater);
        define(net);
        return net.stages();
    }

    /** A new graph of this configuration with freshly initialised weights. */
    public ComputationGraph init() {
        ComputationGraph graph = new ComputationGraph(build());
        graph.init();
        return graph;
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }
}
