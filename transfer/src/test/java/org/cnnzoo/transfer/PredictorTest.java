package org.cnnzoo.transfer;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictorTest {

    /** A grey image whose value encodes the position: 100 + row + col (rows and cols below 64). */
    static Mat ramp(int rows, int cols) {
        Mat m = new Mat(rows, cols, opencv_core.CV_8UC1);
        byte[] px = new byte[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                px[r * cols + c] = (byte) (r + 2 * c);
            }
        }
        m.data().put(px);
        return m;
    }

    static int at(Mat m, int r, int c) {
        return m.data().get((long) r * m.cols() + c) & 0xFF;
    }

    @Test
    void tenCropsAreFourCornersAndTheCentreAndTheirMirrors() {
        Mat image = ramp(64, 64);                          // already 8/7 of 56: no scaling
        List<Mat> crops = Predictor.crops(image, 56, 56, 10, 0);
        assertEquals(10, crops.size());
        for (Mat c : crops) {
            assertEquals(56, c.rows());
            assertEquals(56, c.cols());
        }
        assertEquals(at(image, 0, 0), at(crops.get(0), 0, 0));          // top-left
        assertEquals(at(image, 0, 63), at(crops.get(1), 0, 55));        // top-right
        assertEquals(at(image, 63, 0), at(crops.get(2), 55, 0));        // bottom-left
        assertEquals(at(image, 63, 63), at(crops.get(3), 55, 55));      // bottom-right
        assertEquals(at(image, 4, 4), at(crops.get(4), 0, 0));          // centre
        for (int i = 0; i < 5; i++) {
            assertEquals(at(crops.get(i), 10, 3), at(crops.get(i + 5), 10, 52), "crop " + i + " mirrored");
        }
        assertEquals(5, Predictor.crops(image, 56, 56, 5, 0).size());
        assertThrows(IllegalArgumentException.class, () -> Predictor.crops(image, 56, 56, 3, 0));
    }

    @Test
    void theWeightsOwnResizeComesBeforeTheCentreCrop() {
        // torchvision's preprocessing at a small scale: shorter side to 64, then the centre 56x56
        Mat wide = ramp(32, 48);
        Mat centre = Predictor.crops(wide, 56, 56, 1, 64).get(0);
        assertEquals(56, centre.rows());
        assertEquals(56, centre.cols());
        // scaled by 2 to 64x96, so the centre crop starts at row 4 and column 20: source pixel (2, 10)
        assertEquals(at(wide, 2, 10), at(centre, 0, 0), 2);
        // without a resize, one crop scales the shorter side straight to the input (32 -> 56, 48 -> 84): the
        // crop starts at column 14, source column 8
        Mat straight = Predictor.crops(wide, 56, 56, 1, 0).get(0);
        assertEquals(at(wide, 0, 8), at(straight, 0, 0), 2);
        assertEquals(5, Predictor.crops(wide, 56, 56, 5, 64).size());
    }

    @Test
    void anEnsembleAveragesTheModelsProbabilities(@TempDir Path dir) throws Exception {
        RunInfo info = new RunInfo("t", "w", List.of("a", "b", "c"), 32, 32, 1, Normalization.UNIT, "linear", "head", "",
                "avgpool", null, "d", null, "", "now");
        Runs.Loaded one = new Runs.Loaded(dir, TransferGraph.build(TransferGraphTest.backbone(), 3, Head.LINEAR,
                "avgpool", new Adam(1e-3), 1), info);
        Runs.Loaded two = new Runs.Loaded(dir, TransferGraph.build(TransferGraphTest.backbone(), 3, Head.LINEAR,
                "avgpool", new Adam(1e-3), 2), info);
        Path image = dir.resolve("x.png");
        org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(image.toString(), ramp(40, 50));
        Mat decoded = org.cnnzoo.datasets.ImageDecoder.read(image, 1);
        INDArray p1 = Predictor.probabilities(one, decoded, 10);
        INDArray p2 = Predictor.probabilities(two, decoded, 10);
        assertEquals(1.0, p1.sumNumber().doubleValue(), 1e-5);
        Predictor.Prediction both = Predictor.predict(List.of(one, two), List.of(image), 10, 3).get(0);
        for (Predictor.Scored s : both.top()) {
            int c = info.classes().indexOf(s.label());
            assertEquals((p1.getDouble(c) + p2.getDouble(c)) / 2, s.probability(), 1e-6);
        }
        assertTrue(both.top().get(0).probability() >= both.top().get(2).probability());
    }
}
