package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.ImageAugmenter;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.ImageTransform;
import org.bytedeco.javacv.OpenCVFrameConverter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Augmentation steps applied in order, each with its probability. The same random source (seeded per image by
 * the iterators) always gives the same result. Usable as the datasets module's {@link ImageAugmenter} and as a
 * DataVec {@link ImageTransform}.
 */
public final class Pipeline implements ImageAugmenter, ImageTransform {

    /** An operation and the probability that it is applied to an image. */
    public record Step(Operation operation, double probability) {
        public Step {
            if (!(probability > 0 && probability <= 1)) {
                throw new IllegalArgumentException("probability of " + operation.spec() + " must be in (0, 1], got "
                        + probability);
            }
        }

        public String spec() {
            if (operation instanceof Mirror) {
                return operation.spec() + ":" + Spec.number(probability);
            }
            return operation.spec() + (probability == 1 ? "" : "@" + Spec.number(probability));
        }
    }

    /** An augmented image and the steps that were applied to it. */
    public record Result(Mat image, List<String> applied) {
    }

    private final List<Step> steps;
    private final transient OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private ImageWritable current;

    public Pipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<Step> steps() {
        return steps;
    }

    @Override
    public Mat augment(Mat image, Random random) {
        return augmentTraced(image, random).image();
    }

    /** Augments and says which steps fired (for previews). */
    public Result augmentTraced(Mat image, Random random) {
        Mat out = image;
        List<String> applied = new ArrayList<>();
        for (Step step : steps) {
            // the draw happens whether or not the step fires, so later steps see the same random stream
            boolean fire = random.nextDouble() < step.probability();
            if (fire) {
                out = step.operation().apply(out, random);
                applied.add(step.operation().spec().replaceAll(":.*", ""));
            }
        }
        return new Result(out, applied);
    }

    /** The pipeline as a spec string that {@link Spec#parse} reads back. */
    public String spec() {
        List<String> parts = new ArrayList<>();
        steps.forEach(s -> parts.add(s.spec()));
        return String.join(",", parts);
    }

    @Override
    public String toString() {
        return spec();
    }

    // DataVec's ImageTransform

    @Override
    public ImageWritable transform(ImageWritable image) {
        return transform(image, new Random());
    }

    @Override
    public ImageWritable transform(ImageWritable image, Random random) {
        if (image == null) {
            return null;
        }
        Mat mat = converter.convert(image.getFrame());
        current = new ImageWritable(converter.convert(augment(mat, random)));
        return current;
    }

    /** Coordinates are not tracked through the random steps. */
    @Override
    public float[] query(float... coordinates) {
        throw new UnsupportedOperationException("this pipeline does not map coordinates");
    }

    @Override
    public ImageWritable getCurrentImage() {
        return current;
    }
}
