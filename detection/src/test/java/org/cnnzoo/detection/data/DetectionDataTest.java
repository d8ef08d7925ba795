package org.cnnzoo.detection.data;

import org.cnnzoo.datasets.Part;
import org.cnnzoo.detection.Box;
import org.cnnzoo.detection.LabelledBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionDataTest {
    @TempDir
    Path dir;

    private static void picture(Path file, int width, int height) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    private static String voc(String file, String... objects) {
        StringBuilder b = new StringBuilder("<annotation><filename>" + file + "</filename><size><width>64</width>"
                + "<height>48</height><depth>3</depth></size>");
        for (String o : objects) {
            String[] f = o.split(",");
            b.append("<object><name>").append(f[0]).append("</name><difficult>0</difficult><bndbox><xmin>").append(f[1])
                    .append("</xmin><ymin>").append(f[2]).append("</ymin><xmax>").append(f[3]).append("</xmax><ymax>")
                    .append(f[4]).append("</ymax></bndbox></object>");
        }
        return b.append("</annotation>").toString();
    }

    @Test
    void vocBoxesAreReadCheckedAndTheSkippedOnesNamedOnce() throws IOException {
        Path root = dir.resolve("voc");
        picture(root.resolve("JPEGImages/a.png"), 64, 48);
        picture(root.resolve("JPEGImages/b.png"), 64, 48);
        Files.createDirectories(root.resolve("Annotations"));
        Files.writeString(root.resolve("JPEGImages/broken.png"), "not a picture");
        Files.writeString(root.resolve("Annotations/a.xml"), voc("a.png", "dog,11,6,30,20", "cat,1,1,65,49",
                "dog,40,10,39,30", "cat,50,0,90,20", "horse,1,1,5,5"));
        Files.writeString(root.resolve("Annotations/b.xml"), voc("b.png", "cat,2,2,10,10"));
        Files.writeString(root.resolve("Annotations/c.xml"), voc("missing.png", "cat,2,2,10,10"));
        Files.writeString(root.resolve("Annotations/d.xml"), voc("broken.png", "cat,2,2,10,10"));
        Files.writeString(root.resolve("Annotations/e.xml"), voc("../../etc/passwd", "cat,2,2,10,10"));
        DetectionSet set = VocDataset.read(root, null, List.of("cat", "dog"));
        assertEquals(2, set.size());
        DetectionSample a = set.samples().get(0);
        // VOC counts from 1 with both ends in: (11, 6)-(30, 20) is (10, 5)-(30, 20); (1,1)-(65,49) clipped to 64x48
        assertEquals(List.of(new LabelledBox(new Box(10, 5, 30, 20), 1), new LabelledBox(new Box(0, 0, 64, 48), 0)),
                a.objects());
        String warnings = String.join("\n", set.warnings());
        assertTrue(warnings.contains("1 boxes of zero area skipped: a.xml object 3"), warnings);
        assertTrue(warnings.contains("1 boxes outside the picture skipped: a.xml object 4"), warnings);
        assertTrue(warnings.contains("1 boxes of an unknown class skipped: a.xml object 5 ('horse')"), warnings);
        assertTrue(warnings.contains("2 pictures missing or outside their folder") && warnings.contains("c.xml")
                && warnings.contains("which does not exist") && warnings.contains("e.xml")
                && warnings.contains("which is outside its folder"), warnings);
        assertTrue(warnings.contains("pictures unreadable") && warnings.contains("broken.png"), warnings);
        assertEquals(5, set.warnings().size(), warnings);
        // without a class list the names found, sorted
        assertEquals(List.of("cat", "dog", "horse"), VocDataset.read(root, null, null).classes());
    }

    @Test
    void vocFilesWithADocumentTypeAreRefusedSoNoEntityIsExpanded() throws IOException {
        Path root = dir.resolve("voc");
        picture(root.resolve("JPEGImages/a.png"), 64, 48);
        Files.createDirectories(root.resolve("Annotations"));
        Files.writeString(root.resolve("Annotations/a.xml"), "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM"
                + " \"file:///etc/passwd\">]><annotation><filename>&x;</filename></annotation>");
        IOException e = assertThrows(IOException.class, () -> VocDataset.read(root, null, List.of("cat")));
        assertTrue(e.getMessage().contains("a.xml is not valid VOC XML") && e.getMessage().contains("DOCTYPE"),
                e.getMessage());
    }

    @Test
    void vocSplitsListTheirPicturesAndStayInTheFolder() throws IOException {
        Path root = dir.resolve("voc");
        picture(root.resolve("JPEGImages/a.png"), 64, 48);
        picture(root.resolve("JPEGImages/b.png"), 64, 48);
        Files.createDirectories(root.resolve("Annotations"));
        Files.createDirectories(root.resolve("ImageSets/Main"));
        Files.writeString(root.resolve("Annotations/a.xml"), voc("a.png", "cat,2,2,10,10"));
        Files.writeString(root.resolve("Annotations/b.xml"), voc("b.png", "cat,2,2,10,10"));
        Files.writeString(root.resolve("ImageSets/Main/val.txt"), "b\n");
        Files.writeString(root.resolve("ImageSets/Main/evil.txt"), "../../secret\n");
        DetectionSet val = DetectionData.open("voc:" + root + ":val", Part.TRAIN, null);
        assertEquals(List.of("b"), val.samples().stream().map(DetectionSample::id).toList());
        IOException e = assertThrows(IOException.class, () -> VocDataset.read(root, "evil", null));
        assertTrue(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void cocoBoxesAreCornerSizeAndCrowdsAreLeftOut() throws IOException {
        Path images = dir.resolve("coco/images");
        picture(images.resolve("1.png"), 64, 48);
        picture(images.resolve("2.png"), 32, 32);
        Path json = dir.resolve("coco/instances.json");
        Files.writeString(json, """
                {"images": [{"id": 1, "file_name": "1.png", "width": 64, "height": 48},
                            {"id": 2, "file_name": "2.png", "width": 32, "height": 32},
                            {"id": 3, "file_name": "../../x.png", "width": 32, "height": 32}],
                 "categories": [{"id": 18, "name": "dog"}, {"id": 17, "name": "cat"}],
                 "annotations": [{"id": 10, "image_id": 1, "category_id": 18, "bbox": [10, 5, 20, 15], "iscrowd": 0},
                                 {"id": 11, "image_id": 1, "category_id": 17, "bbox": [0, 0, 64, 48], "iscrowd": 1},
                                 {"id": 12, "image_id": 2, "category_id": 99, "bbox": [1, 1, 5, 5], "iscrowd": 0},
                                 {"id": 13, "image_id": 2, "category_id": 17, "bbox": [1, 1, 0, 5], "iscrowd": 0},
                                 {"id": 14, "image_id": 7, "category_id": 17, "bbox": [1, 1, 5, 5], "iscrowd": 0}]}
                """);
        DetectionSet set = DetectionData.open("coco:" + json + ":" + images, Part.TRAIN, null);
        assertEquals(List.of("cat", "dog"), set.classes());                  // by category id: 17, 18
        assertEquals(2, set.size());
        assertEquals(List.of(new LabelledBox(new Box(10, 5, 30, 20), 1)), set.samples().get(0).objects());
        assertEquals(List.of(), set.samples().get(1).objects());
        String warnings = String.join("\n", set.warnings());
        assertTrue(warnings.contains("unknown class") && warnings.contains("category 99"), warnings);
        assertTrue(warnings.contains("zero area") && warnings.contains("annotation 13"), warnings);
        assertTrue(warnings.contains("no listed picture") && warnings.contains("annotation 14"), warnings);
        assertTrue(warnings.contains("outside their folder") && warnings.contains("../../x.png"), warnings);
        Files.writeString(json, "{\"images\": 3}");
        IOException e = assertThrows(IOException.class, () -> CocoDataset.read(json, images, null));
        assertTrue(e.getMessage().contains("not a COCO detection file"), e.getMessage());
    }

    @Test
    void yoloLabelsAreFractionsOfThePictureWithNamesFromTheFolder() throws IOException {
        Path root = dir.resolve("yolo");
        picture(root.resolve("images/train/a.png"), 100, 50);
        picture(root.resolve("images/train/b.png"), 100, 50);
        Files.createDirectories(root.resolve("labels/train"));
        Files.writeString(root.resolve("labels/train/a.txt"), "1 0.5 0.5 0.2 0.4\n5 0.5 0.5 0.1 0.1\nx y\n"
                + "0 0.5 0.5 0.2 0.0\n");
        Files.writeString(root.resolve("data.yaml"), "path: .\nnames:\n  0: cat\n  1: dog\n");
        DetectionSet set = DetectionData.open("yolo:" + root, Part.TRAIN, null);
        assertEquals(List.of("cat", "dog"), set.classes());
        assertEquals(List.of("train/a.png", "train/b.png"), set.samples().stream().map(DetectionSample::id).toList());
        assertEquals(List.of(new LabelledBox(new Box(40, 15, 60, 35), 1)), set.samples().get(0).objects());
        assertEquals(List.of(), set.samples().get(1).objects());          // no label file: no objects
        assertEquals(3, set.warnings().size(), String.join("\n", set.warnings()));
        assertEquals(List.of("a", "b"), YoloDataset.yamlNames(List.of("names: ['a', \"b\"]  # two")));
        assertEquals(List.of("a", "b"), YoloDataset.yamlNames(List.of("names:", "- a", "- b", "nc: 2")));
        Files.delete(root.resolve("data.yaml"));
        IOException e = assertThrows(IOException.class, () -> YoloDataset.read(root, null));
        assertTrue(e.getMessage().contains("classes.txt"), e.getMessage());
    }

    @Test
    void theEmbeddedSetIsRecomposedIdenticallyAndKeepsItsTestItemsApart() throws Exception {
        DetectionSet train = EmbeddedDetection.load(Part.TRAIN);
        DetectionSet test = EmbeddedDetection.load(Part.TEST);
        assertEquals(EmbeddedDetection.TRAIN_CANVASES, train.size());
        assertEquals(EmbeddedDetection.TEST_CANVASES, test.size());
        for (DetectionSet set : List.of(train, test)) {
            for (DetectionSample s : set.samples()) {
                assertTrue(s.objects().size() >= 1 && s.objects().size() <= 3, s.id());
                for (LabelledBox o : s.objects()) {
                    Box b = o.box();
                    assertTrue(b.x1() >= 0 && b.y1() >= 0 && b.x2() <= 96 && b.y2() <= 96 && b.area() > 0, s.id());
                    assertTrue(b.width() <= 48 && b.height() <= 48, s.id() + " " + b);
                }
            }
        }
        // the composition is code and a seed: this hash is of the canvases and boxes it gives; a change to either
        // must be deliberate (and the README's detection figures measured again)
        assertEquals("5c7a39f300f429fe/545062cf0eb31e7a", hash(train) + "/" + hash(test));
        assertEquals(hash(train), hash(EmbeddedDetection.load(Part.TRAIN)));
        // items of the test part of Fashion-MNIST only ever appear on test canvases: each canvas set is composed
        // from its own part (EmbeddedFashionMnist keeps the official split), and no item is placed twice
        assertEquals(test.objects(), test.samples().stream().mapToInt(s -> s.objects().size()).sum());
        assertTrue(train.objects() <= 3000 && test.objects() <= 1000, train.objects() + " / " + test.objects());
        DetectionSet[] split = train.holdOut(10);
        assertEquals(900, split[0].size());
        assertEquals(100, split[1].size());
        assertFalse(split[0].samples().stream().anyMatch(split[1].samples()::contains));
    }

    private static String hash(DetectionSet set) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (DetectionSample s : set.samples()) {
            sha.update(s.pixels().pixels());
            sha.update(s.objects().toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }
}
