package org.cnnzoo.transfer;

import org.cnnzoo.zoo.inference.InferenceGraph;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.augmentation.FixedCrop;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.Interpolation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Predictions at test time with the course's tricks: several crops of each image (1: the centre; 5: the four
 * corners and the centre; 10: those five and their mirror images) and several models (an ensemble), with the
 * class probabilities averaged over all of them.
 */
public final class Predictor {

    /** A class and its averaged probability. */
    public record Scored(String label, double probability) {
    }

    /** The top classes for one image. */
    public record Prediction(Path image, List<Scored> top) {
    }

    private Predictor() {
    }

    /**
     * The crops of an image for a height x width input. The shorter side is first scaled to {@code resize} when
     * given (the weights' own preprocessing, e.g. 256 for torchvision's 224); otherwise to 8/7 of the input for 5
     * and 10 crops, and to the input itself for 1 crop, as the project's iterators train.
     */
    public static List<Mat> crops(Mat image, int height, int width, int count, int resize) {
        return crops(image, height, width, count, resize, Interpolation.AUTO);
    }

    /** The same with the resizing the weights were trained with (bicubic for some of torchvision's). */
    public static List<Mat> crops(Mat image, int height, int width, int count, int resize, Interpolation interpolation) {
        if (count != 1 && count != 5 && count != 10) {
            throw new IllegalArgumentException("crops must be 1, 5 or 10, got " + count);
        }
        if (count == 1 && resize <= 0) {
            return List.of(ImageIterator.fit(image, height, width, ImageIterator.Fit.SHORTER_SIDE_CENTER_CROP, interpolation));
        }
        int side = resize > 0 ? Math.max(resize, Math.max(height, width)) : (int) Math.round(Math.max(height, width) * 8.0 / 7);
        double scale = (double) side / Math.min(image.rows(), image.cols());
        Mat scaled = ImageIterator.fit(image, Math.max(side, (int) Math.round(image.rows() * scale)),
                Math.max(side, (int) Math.round(image.cols() * scale)), ImageIterator.Fit.STRETCH, interpolation);
        List<Mat> crops = new ArrayList<>();
        if (count == 1) {
            return List.of(FixedCrop.crop(scaled, FixedCrop.Position.CENTER, height, width));
        }
        for (FixedCrop.Position p : new FixedCrop.Position[]{FixedCrop.Position.TOP_LEFT, FixedCrop.Position.TOP_RIGHT,
                FixedCrop.Position.BOTTOM_LEFT, FixedCrop.Position.BOTTOM_RIGHT, FixedCrop.Position.CENTER}) {
            crops.add(FixedCrop.crop(scaled, p, height, width));
        }
        if (count == 10) {
            for (int i = 0; i < 5; i++) {
                Mat mirrored = new Mat();
                opencv_core.flip(crops.get(i), mirrored, 1);
                crops.add(mirrored);
            }
        }
        return crops;
    }

    /**
     * Class probabilities of one model for one image, averaged over its crops. This rewrites the model for inference
     * on every call, which costs more than the image: for many images, rewrite it once ({@code
     * InferenceGraph.of(run.model())}) and call the overload that takes it.
     */
    public static INDArray probabilities(Runs.Loaded run, Mat image, int crops) {
        return probabilities(run.info(), InferenceGraph.of(run.model()), image, crops);
    }

    /** The same through a model already rewritten for inference (done once per model, not per image). */
    public static INDArray probabilities(RunInfo info, InferenceGraph model, Mat image, int crops) {
        return model.output(inputs(info, image, crops)).mean(0);
    }

    /**
     * An image as the model's input batch, one row per crop: resized, cropped and normalised as the run (or the
     * weights it records) says.
     */
    public static INDArray inputs(RunInfo info, Mat image, int crops) {
        List<Mat> views = crops(image, info.height(), info.width(), crops, info.resize(),
                Interpolation.of(info.interpolation()));
        int pixels = info.channels() * info.height() * info.width();
        float[] batch = new float[views.size() * pixels];
        for (int i = 0; i < views.size(); i++) {
            System.arraycopy(ImageIterator.toChw(views.get(i), info.normalization()), 0, batch, i * pixels, pixels);
        }
        return Nd4j.create(batch, new long[]{views.size(), info.channels(), info.height(), info.width()},
                DataType.FLOAT);
    }

    /** Each image's top classes, probabilities averaged over crops and over the models (all with the same classes). */
    public static List<Prediction> predict(List<Runs.Loaded> models, List<Path> images, int crops, int top)
            throws IOException {
        List<String> classes = models.get(0).info().classes();
        for (Runs.Loaded m : models) {
            if (!m.info().classes().equals(classes)) {
                throw new IllegalArgumentException("an ensemble needs models with the same classes; " + m.dir()
                        + " has " + m.info().classes() + ", " + models.get(0).dir() + " has " + classes);
            }
        }
        List<InferenceGraph> fast = models.stream().map(m -> InferenceGraph.of(m.model())).toList();
        List<Prediction> out = new ArrayList<>();
        for (Path file : images) {
            INDArray sum = null;
            for (int i = 0; i < models.size(); i++) {
                Runs.Loaded m = models.get(i);
                Mat image = ImageDecoder.read(file, m.info().channels());
                INDArray p = probabilities(m.info(), fast.get(i), image, crops);
                sum = sum == null ? p : sum.add(p);
            }
            INDArray mean = sum.div(models.size());
            List<Scored> scored = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                scored.add(new Scored(classes.get(c), mean.getDouble(c)));
            }
            scored.sort(Comparator.comparingDouble(Scored::probability).reversed());
            out.add(new Prediction(file, scored.subList(0, Math.min(top, scored.size()))));
        }
        return out;
    }
}
