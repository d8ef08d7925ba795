package org.cnnzoo.detection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YOLO volume: its size, encoding ground truth into it and decoding boxes out of it, anchors by k-means. */
class YoloGridTest {

    private static final List<Anchor> FIVE = List.of(new Anchor(0.6, 0.7), new Anchor(1.9, 4.1), new Anchor(3.3, 8.1),
            new Anchor(7.9, 3.5), new Anchor(9.4, 9.2));

    @Test
    void theCoursesVolumeIs19By19By425() {
        YoloGrid grid = new YoloGrid(19, 19, FIVE, 80);
        assertEquals(425, grid.depth());                            // 5 anchors x (5 + 80)
        assertEquals(19 * 19 * 425, grid.encode(List.of()).length);
    }

    @Test
    void aBoxIsEncodedInTheCellOfItsCentreForItsBestAnchor() {
        YoloGrid grid = new YoloGrid(3, 3, List.of(new Anchor(1, 1), new Anchor(1, 3)), 3);
        // centre (0.5, 0.5): the middle cell (1, 1), at its centre; 1/3 x 1/3 of the image = 1 x 1 cell: anchor 0
        float[] v = grid.encode(List.of(new LabelledBox(Box.fromCentre(0.5, 0.5, 1.0 / 3, 1.0 / 3), 2)));
        int cells = 9;
        int middle = 1 * 3 + 1;
        assertEquals(0, v[0 * cells + middle], 1e-6);               // tx = logit(0.5)
        assertEquals(0, v[1 * cells + middle], 1e-6);               // ty
        assertEquals(0, v[2 * cells + middle], 1e-6);               // tw = log(1 / 1)
        assertEquals(0, v[3 * cells + middle], 1e-6);               // th
        assertEquals(1, v[4 * cells + middle], 0);                  // objectness
        assertEquals(1, v[(5 + 2) * cells + middle], 0);            // class 2 one-hot
        assertEquals(0, v[(5 + 1) * cells + middle], 0);
        float sum = 0;
        for (float x : v) {
            sum += x;
        }
        assertEquals(2, sum, 1e-6);                                 // nothing else is set
        // a tall box (1 x 3 cells) belongs to the tall anchor, in the second anchor's channels
        float[] tall = grid.encode(List.of(new LabelledBox(Box.fromCentre(0.5, 0.5, 1.0 / 3, 1.0), 0)));
        assertEquals(1, tall[(8 + 4) * cells + middle], 0);
        assertEquals(0, tall[4 * cells + middle], 0);
        assertEquals(1, grid.bestAnchor(1, 3));
        assertThrows(IllegalArgumentException.class,
                () -> grid.encode(List.of(new LabelledBox(new Box(0, 0, 0.1, 0.1), 3))));
    }

    @Test
    void encodingThenDecodingGivesTheBoxesBack() {
        YoloGrid grid = new YoloGrid(13, 13, FIVE, 4);
        Random r = new Random(1);
        List<LabelledBox> objects = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            double w = 0.05 + 0.5 * r.nextDouble();
            double h = 0.05 + 0.5 * r.nextDouble();
            // one object per cell: centres spread along the diagonal
            double c = (2 * i + 1.3) / 13;
            objects.add(new LabelledBox(Box.fromCentre(c, c, w, h), r.nextInt(4)));
        }
        List<Detection> decoded = grid.decode(grid.encode(objects), false, 0.5);
        assertEquals(objects.size(), decoded.size());
        for (LabelledBox o : objects) {
            Detection d = decoded.stream().filter(x -> x.box().iou(o.box()) > 0.999).findFirst().orElseThrow();
            assertEquals(o.classIndex(), d.classIndex());
            assertEquals(1, d.score(), 1e-12);
            assertEquals(o.box().x1(), d.box().x1(), 1e-6);
            assertEquals(o.box().y2(), d.box().y2(), 1e-6);
        }
    }

    @Test
    void aNetworksOutputIsReadWithSigmoidAndSoftmax() {
        YoloGrid grid = new YoloGrid(1, 1, List.of(new Anchor(0.5, 0.25)), 2);
        // tx = ty = 0: the cell's centre; tw = log 2: twice the anchor; objectness logit 0: 0.5; classes 0 and log 3
        float[] raw = {0, 0, (float) Math.log(2), 0, 0, 0, (float) Math.log(3)};
        List<Detection> d = grid.decode(raw, true, 0);
        assertEquals(1, d.size());
        assertEquals(1, d.get(0).classIndex());
        assertEquals(0.5 * 0.75, d.get(0).score(), 1e-7);           // sigmoid(0) x softmax(0, log 3)[1]
        Box box = d.get(0).box();                                   // log 2 is stored as a float
        assertEquals(0, box.x1(), 1e-7);
        assertEquals(1, box.x2(), 1e-7);
        assertEquals(0.375, box.y1(), 1e-7);
        assertEquals(0.625, box.y2(), 1e-7);
        assertTrue(grid.decode(raw, true, 0.4).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> grid.decode(new float[3], true, 0));
    }

    @Test
    void anchorsByKMeansWithOneMinusIouFindTheShapesOfTheBoxes() {
        Random r = new Random(7);
        List<Anchor> shapes = new ArrayList<>();
        double[][] truth = {{1, 1}, {3, 1.5}, {2, 5}};
        for (int i = 0; i < 300; i++) {
            double[] t = truth[i % 3];
            shapes.add(new Anchor(t[0] * (1 + 0.1 * r.nextGaussian()), t[1] * (1 + 0.1 * r.nextGaussian())));
        }
        List<Anchor> anchors = AnchorClustering.kMeans(shapes, 3, 42);
        assertEquals(3, anchors.size());
        double[][] sorted = {{1, 1}, {3, 1.5}, {2, 5}};                // areas 1, 4.5, 10: the order returned
        for (int i = 0; i < 3; i++) {
            assertEquals(sorted[i][0], anchors.get(i).width(), 0.1 * sorted[i][0], anchors.toString());
            assertEquals(sorted[i][1], anchors.get(i).height(), 0.1 * sorted[i][1], anchors.toString());
        }
        assertTrue(AnchorClustering.meanBestIou(shapes, anchors) > 0.8);
        assertTrue(AnchorClustering.meanBestIou(shapes, anchors)
                > AnchorClustering.meanBestIou(shapes, List.of(new Anchor(2, 2), new Anchor(2.1, 2.1), new Anchor(2.2, 2.2))));
        assertEquals(anchors, AnchorClustering.kMeans(shapes, 3, 42));
        assertThrows(IllegalArgumentException.class, () -> AnchorClustering.kMeans(shapes.subList(0, 2), 3, 1));
    }
}
