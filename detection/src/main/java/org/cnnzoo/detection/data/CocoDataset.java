package org.cnnzoo.detection.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.common.SafePaths;
import org.cnnzoo.detection.LabelledBox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * COCO detection labels: one JSON file with {@code images} (id, file_name, width, height), {@code annotations}
 * (image_id, category_id, bbox as x, y, width, height in pixels, iscrowd) and {@code categories} (id, name), the
 * pictures in a folder beside it. Crowd regions are not objects to find and are left out, as COCO's own
 * evaluation does for matching. Classes are the categories in the order of their ids.
 */
public final class CocoDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CocoDataset() {
    }

    /**
     * @param images  the folder of the pictures named by file_name
     * @param classes the class list (a test set must use its training set's), or null for the file's categories
     */
    public static DetectionSet read(Path annotations, Path images, List<String> classes) throws IOException {
        Annotations.checkSize(annotations);
        JsonNode root;
        try {
            root = JSON.readTree(annotations.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(annotations + " is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.path("images").isArray() || !root.path("annotations").isArray()
                || !root.path("categories").isArray()) {
            throw new IOException(annotations + " is not a COCO detection file (it needs images, annotations and"
                    + " categories lists)");
        }
        Map<Long, String> categories = new TreeMap<>();
        for (JsonNode c : root.get("categories")) {
            categories.put(c.path("id").asLong(), c.path("name").asText());
        }
        if (classes == null) {
            classes = List.copyOf(categories.values());
        }
        Annotations checks = new Annotations(classes);
        Map<Long, JsonNode> pictures = new LinkedHashMap<>();
        for (JsonNode image : root.get("images")) {
            pictures.put(image.path("id").asLong(), image);
        }
        Map<Long, List<JsonNode>> byImage = new LinkedHashMap<>();
        for (JsonNode a : root.get("annotations")) {
            if (a.path("iscrowd").asInt(0) == 1) {
                continue;
            }
            long id = a.path("image_id").asLong();
            if (!pictures.containsKey(id)) {
                checks.skip("boxes of no listed picture skipped", "annotation " + a.path("id").asText());
                continue;
            }
            byImage.computeIfAbsent(id, k -> new ArrayList<>()).add(a);
        }
        List<DetectionSample> samples = new ArrayList<>();
        for (Map.Entry<Long, JsonNode> p : pictures.entrySet()) {
            String name = p.getValue().path("file_name").asText();
            Path file;
            try {
                file = SafePaths.inside(images, name, annotations);
            } catch (IOException e) {
                checks.skip(Annotations.REFUSED, e.getMessage());
                continue;
            }
            int[] size = checks.pictureSize(file, name);
            if (size == null) {
                continue;
            }
            List<LabelledBox> boxes = new ArrayList<>();
            for (JsonNode a : byImage.getOrDefault(p.getKey(), List.of())) {
                String at = name + " annotation " + a.path("id").asText();
                String category = categories.get(a.path("category_id").asLong());
                int c = checks.classIndex(category == null ? "category " + a.path("category_id").asText() : category, at);
                JsonNode b = a.path("bbox");
                double x = b.path(0).asDouble(Double.NaN);
                double y = b.path(1).asDouble(Double.NaN);
                LabelledBox box = checks.box(x, y, x + b.path(2).asDouble(Double.NaN), y + b.path(3).asDouble(Double.NaN),
                        c, size[0], size[1], at);
                if (box != null) {
                    boxes.add(box);
                }
            }
            samples.add(new DetectionSample(name, file, null, boxes));
        }
        return new DetectionSet("coco:" + annotations, classes, samples, checks.warnings());
    }
}
