package org.cnnzoo.detection.faceapi;

import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.models.FaceLandmarkNet;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's 68-point landmark network with its published weights: a face picture (a detector's box) in, 68 points
 * in its pixels out, in the iBUG 300-W order (jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67).
 */
public final class FaceLandmarks {
    static final double[] MEAN = {122.782, 117.001, 104.298};
    private static final int SIZE = 112;

    /** A point in pixels of the picture. */
    public record Point(double x, double y) {
    }

    private final ComputationGraph graph;
    private final SquareInput input = new SquareInput(SIZE, true, MEAN);

    private FaceLandmarks(ComputationGraph graph) {
        this.graph = graph;
    }

    public static FaceLandmarks load(Path modelFolder) throws IOException {
        ComputationGraph graph = FaceLandmarkNet.faceLandmark68().init();
        FaceApiWeights.load(graph, FaceApiWeights.manifest(modelFolder, "face_landmark_68"));
        return new FaceLandmarks(graph);
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** The network's 136 outputs: x0, y0, x1, y1... as fractions of the padded 112x112 square. */
    public float[] raw(RgbImage face) {
        return graph.outputSingle(false, input.apply(face)).dup('c').data().asFloat();
    }

    /** The 68 points in the picture's pixels: the centred padding taken off as face-api does. */
    public List<Point> detect(RgbImage face) {
        float[] out = raw(face);
        double scale = SIZE / (double) Math.max(face.width(), face.height());
        double width = face.width() * scale;
        double height = face.height() * scale;
        double padX = width < height ? Math.abs(width - height) / 2 : 0;
        double padY = height < width ? Math.abs(width - height) / 2 : 0;
        List<Point> points = new ArrayList<>(FaceLandmarkNet.POINTS);
        for (int i = 0; i < FaceLandmarkNet.POINTS; i++) {
            double x = (out[2 * i] * SIZE - padX) / width * face.width();
            double y = (out[2 * i + 1] * SIZE - padY) / height * face.height();
            points.add(new Point(x, y));
        }
        return points;
    }
}
