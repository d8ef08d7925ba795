package org.cnnzoo.detection.faceapi;

import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.Detection;
import org.cnnzoo.detection.NonMaxSuppression;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.YoloGrid;
import org.cnnzoo.detection.models.TinyYolo;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's tiny face detector with its published weights: a picture in, faces out as boxes in its pixels with
 * their scores, decoded and suppressed as face-api does (objectness over the threshold, anchors scaled by the
 * exponential of the prediction, the square padding undone, greedy suppression at IoU 0.4 across the image).
 */
public final class TinyFaceDetector {
    /** face-api's mean RGB for this network. */
    static final double[] MEAN = {117.001, 114.697, 97.404};
    /** face-api's suppression threshold. */
    public static final double IOU = 0.4;

    private final ComputationGraph graph;
    private final TinyYolo architecture;
    private final SquareInput input;

    private TinyFaceDetector(ComputationGraph graph, TinyYolo architecture) {
        this.graph = graph;
        this.architecture = architecture;
        this.input = new SquareInput(architecture.height(), false, MEAN);
    }

    /**
     * The detector at an input size (a multiple of 32; face-api's default 416, smaller is faster and finds fewer
     * small faces), weights read from face-api's model folder.
     */
    public static TinyFaceDetector load(Path modelFolder, int inputSize) throws IOException {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("the face detector's input size is a multiple of 32, got " + inputSize);
        }
        TinyYolo architecture = TinyYolo.tinyFaceDetector().optInput(inputSize, inputSize, 3);
        ComputationGraph graph = architecture.init();
        FaceApiWeights.load(graph, FaceApiWeights.manifest(modelFolder, "tiny_face_detector"));
        return new TinyFaceDetector(graph, architecture);
    }

    public ComputationGraph graph() {
        return graph;
    }

    public int inputSize() {
        return architecture.height();
    }

    public YoloGrid grid() {
        return architecture.grid();
    }

    /** The network's raw volume for the picture, channels-first: [anchors x 5, grid, grid]. */
    public float[] volume(RgbImage image) {
        INDArray out = graph.outputSingle(false, input.apply(image));
        return out.dup('c').data().asFloat();
    }

    /** Faces scoring over {@code scoreThreshold} (face-api's default 0.5), in the picture's pixels, best first. */
    public List<Detection> detect(RgbImage image, double scoreThreshold) {
        return detect(image, scoreThreshold, IOU);
    }

    /** As {@link #detect(RgbImage, double)} with another suppression threshold. */
    public List<Detection> detect(RgbImage image, double scoreThreshold, double iou) {
        List<Detection> candidates = grid().decode(volume(image), true, scoreThreshold);
        // the grid covers the padded square: undo the padding as face-api does, through its rounded resized size
        int side = Math.max(image.width(), image.height());
        double scale = inputSize() / (double) side;
        double fx = inputSize() / (double) Math.round(image.width() * scale);
        double fy = inputSize() / (double) Math.round(image.height() * scale);
        List<Detection> relative = new ArrayList<>(candidates.size());
        for (Detection d : candidates) {
            Box b = d.box();
            relative.add(new Detection(new Box(b.x1() * fx, b.y1() * fy, b.x2() * fx, b.y2() * fy), 0, d.score()));
        }
        // suppressed in fractions of the picture's sides, where face-api measures overlap
        List<Detection> faces = new ArrayList<>();
        for (Detection d : new NonMaxSuppression(scoreThreshold, iou, false).apply(relative)) {
            faces.add(new Detection(d.box().inPixels(image.width(), image.height()), 0, d.score()));
        }
        return faces;
    }
}
