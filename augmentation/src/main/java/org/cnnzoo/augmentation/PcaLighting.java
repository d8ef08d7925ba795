package org.cnnzoo.augmentation;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Random;

/**
 * AlexNet's "PCA colour augmentation": adds sum_i alpha_i * lambda_i * p_i to every RGB pixel, where p_i and
 * lambda_i are the eigenvectors and eigenvalues of ImageNet's RGB covariance and alpha_i ~ N(0, std) (AlexNet used
 * 0.1). Grey images are left unchanged.
 */
public record PcaLighting(double std) implements Operation {
    /** ImageNet's RGB eigenvalues and eigenvectors (columns), for values in [0, 1]. */
    static final double[] EIGENVALUES = {0.2175, 0.0188, 0.0045};
    static final double[][] EIGENVECTORS = {
            {-0.5675, 0.7192, 0.4009},
            {-0.5808, -0.0045, -0.8140},
            {-0.5836, -0.6948, 0.4203}};

    public PcaLighting {
        if (!(std > 0 && std <= 1)) {
            throw new IllegalArgumentException("PCA lighting strength must be in (0, 1], got " + std);
        }
    }

    @Override
    public String spec() {
        return "pca:" + Spec.number(std);
    }

    @Override
    public Mat apply(Mat image, Random random) {
        if (image.channels() != 3) {
            return image;
        }
        double[] alpha = {random.nextGaussian() * std, random.nextGaussian() * std, random.nextGaussian() * std};
        return ColorShift.shift(image, offsets(alpha));
    }

    /** The RGB offset (0-255 scale) for the given alphas. */
    static double[] offsets(double[] alpha) {
        double[] rgb = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                rgb[c] += EIGENVECTORS[c][i] * alpha[i] * EIGENVALUES[i] * 255;
            }
        }
        return rgb;
    }
}
