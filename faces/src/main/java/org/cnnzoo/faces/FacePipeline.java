package org.cnnzoo.faces;

import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.Detection;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.faceapi.FaceLandmarks;
import org.cnnzoo.detection.faceapi.TinyFaceDetector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's way from a photo to face descriptors, step for step: the tiny face detector finds faces; each face's
 * box is cut out (clipped to the photo, whole pixels) and given to the 68-point landmark network; a square placed
 * by the eyes and the mouth (dlib's alignment, as face-api computes descriptors) is cut out the same way and
 * described by the recognition network. No rotation, as in face-api.
 */
public final class FacePipeline {
    /** face-api's default: faces scoring under this are not kept. */
    public static final double SCORE = 0.5;

    /** A face: the detector's box and score, the landmarks, the box described and its descriptor, in pixels. */
    public record Face(Detection detection, List<FaceLandmarks.Point> landmarks, Box aligned, float[] descriptor) {
    }

    private final TinyFaceDetector detector;
    private final FaceLandmarks landmarks;
    private final FaceDescriptors descriptors;

    public FacePipeline(TinyFaceDetector detector, FaceLandmarks landmarks, FaceDescriptors descriptors) {
        this.detector = detector;
        this.landmarks = landmarks;
        this.descriptors = descriptors;
    }

    /** The three networks from face-api's model folder, the detector at face-api's default input of 416. */
    public static FacePipeline load(Path modelFolder) throws IOException {
        return load(modelFolder, 416);
    }

    public static FacePipeline load(Path modelFolder, int detectorInput) throws IOException {
        return new FacePipeline(TinyFaceDetector.load(modelFolder, detectorInput), FaceLandmarks.load(modelFolder),
                FaceDescriptors.load(modelFolder));
    }

    public FaceDescriptors descriptors() {
        return descriptors;
    }

    /** Every face scoring at least {@code score}, best first. */
    public List<Face> faces(RgbImage photo, double score) {
        List<Face> out = new ArrayList<>();
        for (Detection d : detector.detect(photo, score)) {
            Box box = d.box();
            RgbImage crop = cut(photo, box);
            if (crop == null) {
                continue;
            }
            // face-api shifts the landmarks by the detector's box as found, not by the whole-pixel cut
            List<FaceLandmarks.Point> points = new ArrayList<>();
            for (FaceLandmarks.Point p : landmarks.detect(crop)) {
                points.add(new FaceLandmarks.Point(p.x() + box.x1(), p.y() + box.y1()));
            }
            Box aligned = descriptorBox(points, crop.width(), crop.height());
            RgbImage face = cut(photo, aligned);
            if (face == null) {
                continue;
            }
            out.add(new Face(d, points, aligned, descriptors.describe(face)));
        }
        return out;
    }

    /**
     * face-api's dlib-style box for the descriptor, from the landmarks in the photo's pixels: a square of side
     * floor(mean eye-to-mouth distance / 0.45) placed so that the centre of the eyes' and mouth's centres sits at
     * (0.5, 0.43) of it, its corner rounded down and kept in the photo. face-api bounds the side by the size of the
     * detector's box plus the corner (never binding for a real face); kept for equality.
     */
    static Box descriptorBox(List<FaceLandmarks.Point> points, double detectedWidth, double detectedHeight) {
        double[] leftEye = centre(points, 36, 42);
        double[] rightEye = centre(points, 42, 48);
        double[] mouth = centre(points, 48, 68);
        double eyeToMouth = (Math.hypot(mouth[0] - leftEye[0], mouth[1] - leftEye[1])
                + Math.hypot(mouth[0] - rightEye[0], mouth[1] - rightEye[1])) / 2;
        double size = Math.floor(eyeToMouth / 0.45);
        double refX = (leftEye[0] + rightEye[0] + mouth[0]) / 3;
        double refY = (leftEye[1] + rightEye[1] + mouth[1]) / 3;
        double x = Math.floor(Math.max(0, refX - 0.5 * size));
        double y = Math.floor(Math.max(0, refY - 0.43 * size));
        return new Box(x, y, x + Math.min(size, detectedWidth + x), y + Math.min(size, detectedHeight + y));
    }

    private static double[] centre(List<FaceLandmarks.Point> points, int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i < to; i++) {
            x += points.get(i).x();
            y += points.get(i).y();
        }
        return new double[]{x / (to - from), y / (to - from)};
    }

    /**
     * The part of the photo in a box as face-api cuts it: the box clipped to the photo, then its corner and sides
     * rounded down to whole pixels; null when nothing is left.
     */
    static RgbImage cut(RgbImage photo, Box box) {
        double x = Math.max(box.x1(), 0);
        double y = Math.max(box.y1(), 0);
        int left = (int) Math.floor(x);
        int top = (int) Math.floor(y);
        int width = (int) Math.floor(Math.min(box.x2() - x, photo.width() - x));
        int height = (int) Math.floor(Math.min(box.y2() - y, photo.height() - y));
        if (width <= 0 || height <= 0 || left >= photo.width() || top >= photo.height()) {
            return null;
        }
        return photo.crop(new Box(left, top, Math.min(photo.width(), left + width),
                Math.min(photo.height(), top + height)));
    }
}
