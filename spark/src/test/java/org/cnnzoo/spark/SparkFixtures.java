package org.cnnzoo.spark;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Part;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real images for the Spark tests: Fashion-MNIST pictures from the embedded set, written as PNG folders. */
public final class SparkFixtures {
    private SparkFixtures() {
    }

    /**
     * {@code perClass} pictures of each of the first {@code classes} classes of a part, after the first {@code skip}
     * of each, as root/CLASS/NNNN.png (NNNN: the picture's index in the part, so folders never share a picture).
     */
    public static Path folder(Path root, Part part, int classes, int skip, int perClass) throws IOException {
        ImageSource source = EmbeddedFashionMnist.load(part);
        int[] seen = new int[classes];
        int[] written = new int[classes];
        for (int i = 0; i < source.size(); i++) {
            int label = source.label(i);
            if (label >= classes || seen[label]++ < skip || written[label] >= perClass) {
                continue;
            }
            Path dir = Files.createDirectories(root.resolve(source.classes().get(label).replace('/', '-')));
            Mat image = source.decode(i, 1);
            if (!opencv_imgcodecs.imwrite(dir.resolve(String.format("%04d.png", i)).toString(), image)) {
                throw new IOException("cannot write a test image under " + dir);
            }
            written[label]++;
        }
        return root;
    }
}
