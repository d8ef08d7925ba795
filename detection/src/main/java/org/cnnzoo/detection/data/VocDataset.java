package org.cnnzoo.detection.data;

import org.cnnzoo.common.SafePaths;
import org.cnnzoo.detection.LabelledBox;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Pascal VOC folders: {@code Annotations/*.xml} (one per picture: file name, size, objects with name and
 * {@code bndbox} xmin/ymin/xmax/ymax) beside {@code JPEGImages/}; optionally {@code ImageSets/Main/SPLIT.txt}
 * listing the pictures of a split. VOC counts pixels from 1 and includes both ends, so a box becomes
 * (xmin - 1, ymin - 1, xmax, ymax) in continuous pixel coordinates. Objects marked difficult are kept.
 */
public final class VocDataset {
    private VocDataset() {
    }

    /**
     * @param split   a name in ImageSets/Main ("train", "val", "test"...), or null for every annotation
     * @param classes the class list (a test set must use its training set's), or null for the names found, sorted
     */
    public static DetectionSet read(Path root, String split, List<String> classes) throws IOException {
        Path annotations = root.resolve("Annotations");
        if (!Files.isDirectory(annotations)) {
            throw new IOException(root + " is not a Pascal VOC folder (no Annotations/ in it)");
        }
        List<Path> files = new ArrayList<>();
        if (split != null) {
            Path list = SafePaths.inside(root.resolve("ImageSets").resolve("Main"), split + ".txt", root);
            Annotations.checkSize(list);
            for (String line : Files.readAllLines(list)) {
                String id = line.trim().split("\\s+")[0];
                if (!id.isEmpty()) {
                    files.add(SafePaths.inside(annotations, id + ".xml", list));
                }
            }
        } else {
            try (Stream<Path> s = Files.list(annotations)) {
                s.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().forEach(files::add);
            }
        }
        DocumentBuilder xml = parser();
        List<Element> docs = new ArrayList<>();
        for (Path f : files) {
            Annotations.checkSize(f);
            try {
                Document d = xml.parse(f.toFile());
                docs.add(d.getDocumentElement());
            } catch (org.xml.sax.SAXException e) {
                throw new IOException(f + " is not valid VOC XML: " + e.getMessage());
            }
        }
        if (classes == null) {
            TreeSet<String> names = new TreeSet<>();
            for (Element d : docs) {
                NodeList objects = d.getElementsByTagName("object");
                for (int i = 0; i < objects.getLength(); i++) {
                    names.add(text((Element) objects.item(i), "name"));
                }
            }
            classes = List.copyOf(names);
        }
        Annotations checks = new Annotations(classes);
        List<DetectionSample> samples = new ArrayList<>();
        for (int k = 0; k < docs.size(); k++) {
            Element d = docs.get(k);
            String where = files.get(k).getFileName().toString();
            Path picture;
            try {
                picture = SafePaths.inside(root.resolve("JPEGImages"), text(d, "filename"), files.get(k));
            } catch (IOException e) {
                checks.skip(Annotations.REFUSED, where + ": " + e.getMessage());
                continue;
            }
            int[] size = checks.pictureSize(picture, where);
            if (size == null) {
                continue;
            }
            List<LabelledBox> boxes = new ArrayList<>();
            NodeList objects = d.getElementsByTagName("object");
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                Element b = (Element) o.getElementsByTagName("bndbox").item(0);
                String at = where + " object " + (i + 1);
                int c = checks.classIndex(text(o, "name"), at);
                LabelledBox box = b == null ? null : checks.box(number(b, "xmin") - 1, number(b, "ymin") - 1,
                        number(b, "xmax"), number(b, "ymax"), c, size[0], size[1], at);
                if (b == null && c >= 0) {
                    checks.skip("boxes with missing or non-numeric corners skipped", at);
                }
                if (box != null) {
                    boxes.add(box);
                }
            }
            samples.add(new DetectionSample(where.replaceFirst("\\.xml$", ""), picture, null, boxes));
        }
        return new DetectionSet("voc:" + root + (split != null ? " (" + split + ")" : ""), classes, samples,
                checks.warnings());
    }

    /** An XML parser that reads no document type, entity or external file: annotation files are outside input. */
    private static DocumentBuilder parser() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("no safe XML parser: " + e.getMessage(), e);
        }
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            Node node = n.item(i);
            if (node.getParentNode() == e) {
                return node.getTextContent().trim();
            }
        }
        return "";
    }

    private static double number(Element e, String tag) {
        try {
            return Double.parseDouble(text(e, tag));
        } catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }
}
