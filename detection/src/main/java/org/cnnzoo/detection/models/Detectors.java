package org.cnnzoo.detection.models;

import org.cnnzoo.zoo.Architecture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The detection and face networks built here, by name, beside the zoo's classifiers. */
public final class Detectors {
    /** One network: its name, what it is, and a factory for its builder. */
    public record Entry(String name, String what, Supplier<? extends Architecture<?>> factory) {
        public Architecture<?> create() {
            return factory.get();
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("Redmon & Farhadi 2016, YOLO9000 (Darknet's yolov2-tiny-voc)", TinyYolo::tinyYoloV2);
        add("face-api's tiny face detector (pretrained, npm @vladmandic/face-api)", TinyYolo::tinyFaceDetector);
        add("face-api's 68-point face landmarks (pretrained, npm @vladmandic/face-api)", FaceLandmarkNet::faceLandmark68);
        add("face-api's 128-d face descriptor, dlib's ResNet (pretrained, npm @vladmandic/face-api)",
                FaceRecognitionNet::faceRecognition);
    }

    private Detectors() {
    }

    private static void add(String what, Supplier<? extends Architecture<?>> factory) {
        String name = factory.get().name();
        ENTRIES.put(name, new Entry(name, what, factory));
    }

    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    public static boolean has(String name) {
        return ENTRIES.containsKey(name.toLowerCase(Locale.ROOT).replace('-', '_'));
    }

    /** @throws IllegalArgumentException naming the known networks */
    public static Entry get(String name) {
        Entry e = ENTRIES.get(name.toLowerCase(Locale.ROOT).replace('-', '_'));
        if (e == null) {
            throw new IllegalArgumentException("unknown detector '" + name + "'; known: " + String.join(", ", ENTRIES.keySet()));
        }
        return e;
    }
}
