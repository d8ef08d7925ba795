package org.cnnzoo.detection.yolo;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.zoo.InputShape;

/**
 * How a picture becomes a detector's input: stretched to the input's height and width (bilinear, pixel centres
 * aligned), as YOLOv2 trains and predicts, so that boxes in fractions of the picture stay fractions of the input;
 * turned grey (ITU-R 601 luma) for a one-channel network; scaled to [0, 1] and normalised per channel.
 */
public record DetectorInput(InputShape shape, Normalization normalization) {

    /** The picture as channels-first values, appended at {@code offset} of {@code out}. */
    public void write(RgbImage image, float[] out, int offset) {
        int h = shape.height();
        int w = shape.width();
        int channels = shape.channels();
        double sy = image.height() / (double) h;
        double sx = image.width() / (double) w;
        double[] pixel = new double[3];
        for (int y = 0; y < h; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min(image.height() - 1, (int) fy);
            int y1 = Math.min(image.height() - 1, y0 + 1);
            double dy = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min(image.width() - 1, (int) fx);
                int x1 = Math.min(image.width() - 1, x0 + 1);
                double dx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = image.value(y0, x0, c) * (1 - dx) + image.value(y0, x1, c) * dx;
                    double bottom = image.value(y1, x0, c) * (1 - dx) + image.value(y1, x1, c) * dx;
                    pixel[c] = (top * (1 - dy) + bottom * dy) / 255.0;
                }
                if (channels == 1) {
                    double grey = 0.299 * pixel[0] + 0.587 * pixel[1] + 0.114 * pixel[2];
                    out[offset + y * w + x] = (float) ((grey - normalization.mean(0)) / normalization.std(0));
                } else {
                    for (int c = 0; c < 3; c++) {
                        out[offset + (c * h + y) * w + x] = (float) ((pixel[c] - normalization.mean(c))
                                / normalization.std(c));
                    }
                }
            }
        }
    }

    /** Values per picture. */
    public int size() {
        return shape.height() * shape.width() * shape.channels();
    }
}
