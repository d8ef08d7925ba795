package org.cnnzoo.detection.models;

import org.cnnzoo.detection.Anchor;
import org.cnnzoo.detection.YoloGrid;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.build.BatchNorm;
import org.cnnzoo.zoo.build.NetBuilder;
import org.cnnzoo.zoo.build.Node;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

import java.util.List;

/**
 * Tiny YOLOv2 (Redmon &amp; Farhadi, 2016, "YOLO9000: better, faster, stronger"; Darknet's
 * {@code yolov2-tiny-voc.cfg}): a stack of 3x3 convolutions, each with batch norm and a leaky ReLU of slope 0.1, and
 * 2x2 max pools that take the input down 32 times; a 1x1 convolution then predicts, in every cell of the grid and
 * for every anchor, a box, an objectness and class scores.
 *
 * <p>face-api's tiny face detector is the same design made cheaper: a plain 3x3 convolution without padding, then
 * depthwise-separable convolutions (batch norm folded into the biases), one class and no class scores. Vertex names
 * follow Darknet's layer numbering ({@code conv0 ... conv8}), which face-api's weight names use too.
 */
public final class TinyYolo extends Architecture<TinyYolo> {
    /** Darknet's VOC anchors (yolov2-tiny-voc.cfg), in cells of the 13x13 grid. */
    public static final List<Anchor> VOC_ANCHORS = List.of(new Anchor(1.08, 1.19), new Anchor(3.42, 4.41),
            new Anchor(6.63, 11.38), new Anchor(9.42, 5.11), new Anchor(16.62, 10.52));
    /** face-api's tiny face detector's anchors, in grid cells. */
    public static final List<Anchor> FACE_ANCHORS = List.of(new Anchor(1.603231, 2.094468),
            new Anchor(6.041143, 7.080126), new Anchor(2.882459, 3.518061), new Anchor(4.266906, 5.178857),
            new Anchor(9.041765, 10.66308));

    /** Leaky ReLU as Darknet defines it (slope 0.1; DL4J's default is 0.01). */
    static final double LEAKY_SLOPE = 0.1;

    private final int[] filters;
    private final boolean separable;
    private List<Anchor> anchors;
    private final boolean classScores;

    private TinyYolo(String name, int[] filters, boolean separable, List<Anchor> anchors, int classes,
                     boolean classScores) {
        super(name, 416, 3, classes);
        this.filters = filters;
        this.separable = separable;
        this.anchors = anchors;
        this.classScores = classScores;
    }

    /** Darknet's Tiny YOLOv2 for Pascal VOC: 20 classes, 5 anchors, 416x416 in, a 13x13x125 volume out. */
    public static TinyYolo tinyYoloV2() {
        return new TinyYolo("tiny_yolo_v2", new int[]{16, 32, 64, 128, 256, 512, 1024, 1024}, false, VOC_ANCHORS,
                20, true);
    }

    /**
     * face-api's tiny face detector: one class scored by objectness alone, 5 anchors, 416x416 in by default (any
     * multiple of 32), a 13x13x25 volume out. Only run, not trained: its output is the raw volume.
     */
    public static TinyYolo tinyFaceDetector() {
        return new TinyYolo("tiny_face_detector", new int[]{16, 32, 64, 128, 256, 512}, true, FACE_ANCHORS, 1,
                false);
    }

    /** Anchors in grid cells (default: the variant's own); {@link org.cnnzoo.detection.AnchorClustering} finds them for a dataset. */
    public TinyYolo optAnchors(List<Anchor> chosen) {
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("a YOLO detector needs at least one anchor");
        }
        this.anchors = List.copyOf(chosen);
        return this;
    }

    /** Whether this variant trains here (it has class scores for YOLO's loss); face-api's detector is only run. */
    public boolean trainable() {
        return classScores;
    }

    public List<Anchor> anchors() {
        return anchors;
    }

    /** The output volume this network predicts at its input size. */
    public YoloGrid grid() {
        if (height() % 32 != 0 || width() % 32 != 0) {
            throw new IllegalArgumentException(name() + ": the input must be a multiple of 32 on each side, got "
                    + height() + "x" + width());
        }
        return new YoloGrid(height() / 32, width() / 32, anchors, classes(), classScores);
    }

    /** The vertex holding the raw volume (before YOLO's activations). */
    public static String head() {
        return "conv8";
    }

    @Override
    protected void define(NetBuilder net) {
        grid();
        ActivationLReLU leaky = new ActivationLReLU(LEAKY_SLOPE);
        Node x = net.input();
        for (int i = 0; i < filters.length; i++) {
            String conv = "conv" + i;
            net.stage(conv);
            if (!separable) {
                x = net.conv(conv, x, filters[i], 3, 1, 1, false);
                x = net.batchNorm(conv + ".bn", x, BatchNorm.PYTORCH);   // faster statistics than Darknet's 0.01 for short runs
            } else if (i == 0) {
                x = net.conv(conv, x, filters[i], 3, 1, 0, true);        // face-api: 'valid', no padding
            } else {
                x = net.depthwise(conv + ".depthwise", x, 3, 1, 1);
                x = net.conv(conv + ".pointwise", x, filters[i], 1, 1, 0, true);
            }
            x = net.activation(conv + ".leaky", x, leaky);
            if (i < 6) {                                                  // the sixth pool keeps the size
                x = net.maxPoolSame("pool" + i, x, 2, i < 5 ? 2 : 1);
            }
        }
        net.stage("conv8");
        Node head = net.conv(head(), x, grid().depth(), 1, 1, 0, true);
        if (classScores) {
            double[][] priors = anchors.stream().map(a -> new double[]{a.width(), a.height()}).toArray(double[][]::new);
            net.yoloOutput("yolo", head, priors);
        } else {
            net.rawOutput(head);
        }
    }
}
