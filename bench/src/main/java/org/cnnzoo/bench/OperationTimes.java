package org.cnnzoo.bench;

import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.augmentation.Pipeline;
import org.cnnzoo.augmentation.Spec;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.Normalization;

import java.nio.file.Path;
import java.util.Random;

/**
 * Milliseconds per augmentation operation on a 256x256 RGB image (mean of 1,000 after 200 warm-ups, one thread),
 * and per decode / fit / conversion step, on one JPEG photo (argument; default opencv-doc's fruits.jpg).
 */
public final class OperationTimes {
    private OperationTimes() {
    }

    public static void main(String[] args) throws Exception {
        Path photo = Path.of(args.length > 0 ? args[0] : "/usr/share/doc/opencv-doc/examples/data/fruits.jpg");
        Mat decoded = ImageDecoder.read(photo, 3);
        Mat image = ImageIterator.fit(ImageDecoder.read(photo, 3, 256), 256, 256, ImageIterator.Fit.SHORTER_SIDE_CENTER_CROP);
        for (String op : new String[]{"flip:1", "crop:0.08-1.0", "rotate:15", "shear:0.2", "color:0.1", "warp:0.1"}) {
            Pipeline p = Spec.parse(op);
            System.out.printf("%-22s %.3f ms%n", op, millis(1000, () -> p.augment(image, new Random(7))));
        }
        System.out.printf("%-22s %.3f ms (%dx%d)%n", "decode at full size", millis(300, () -> ImageDecoder.read(photo, 3)),
                decoded.cols(), decoded.rows());
        System.out.printf("%-22s %.3f ms%n", "decode for 256", millis(300, () -> ImageDecoder.read(photo, 3, 256)));
        System.out.printf("%-22s %.3f ms%n", "fit to 224", millis(1000,
                () -> ImageIterator.fit(decoded, 224, 224, ImageIterator.Fit.SHORTER_SIDE_CENTER_CROP)));
        Mat fitted = ImageIterator.fit(decoded, 224, 224, ImageIterator.Fit.SHORTER_SIDE_CENTER_CROP);
        System.out.printf("%-22s %.3f ms%n", "to normalised CHW", millis(1000, () -> ImageIterator.toChw(fitted, Normalization.IMAGENET)));
    }

    interface Step {
        void run() throws Exception;
    }

    static double millis(int n, Step step) throws Exception {
        for (int i = 0; i < n / 5; i++) {
            step.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            step.run();
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }
}
