package org.cnnzoo.cli;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small photo folders made for command-line tests. */
final class TestPhotos {
    private TestPhotos() {
    }

    /** Two classes told apart by colour, noisy, 20 JPEGs each, of assorted sizes. */
    static Path twoColours(Path root) throws IOException {
        Random random = new Random(3);
        for (String cls : new String[]{"reddish", "bluish"}) {
            Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < 20; i++) {
                int r = cls.equals("reddish") ? 180 : 40;
                int b = cls.equals("reddish") ? 40 : 180;
                try (Mat m = new Mat(40 + random.nextInt(30), 40 + random.nextInt(30), opencv_core.CV_8UC3,
                        new Scalar(b + random.nextInt(60), 60 + random.nextInt(60), r + random.nextInt(60), 0))) {
                    opencv_imgcodecs.imwrite(root.resolve(cls + "/" + i + ".jpg").toString(), m);
                }
            }
        }
        return root;
    }
}
