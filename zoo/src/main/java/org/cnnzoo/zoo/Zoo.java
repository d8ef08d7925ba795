package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.AlexNet;
import org.cnnzoo.zoo.models.EfficientNet;
import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.InceptionV3;
import org.cnnzoo.zoo.models.LeNet5;
import org.cnnzoo.zoo.models.MobileNetV1;
import org.cnnzoo.zoo.models.MobileNetV2;
import org.cnnzoo.zoo.models.ResNet;
import org.cnnzoo.zoo.models.Vgg;

import org.cnnzoo.zoo.weights.WeightStore;
import org.cnnzoo.zoo.weights.WeightsEntry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every network of the zoo by name, in the order of the course. */
public final class Zoo {

    /**
     * One network: its zoo name, the paper it comes from, and a factory for a fresh builder with its defaults.
     */
    public record Entry(String name, String paper, Supplier<? extends Architecture<?>> factory) {
        public Architecture<?> create() {
            return factory.get();
        }

        /** The published weights the project knows for this network (torchvision's first), default first. */
        public List<WeightsEntry> weights() {
            List<WeightsEntry> all = new java.util.ArrayList<>(WeightStore.known().stream()
                    .filter(w -> w.architecture().equals(name)).toList());
            all.sort(java.util.Comparator.comparing((WeightsEntry w) -> !w.aliases().contains(name)));
            return all;
        }
    }

    private static final String LENET = "LeCun et al. 1998, Gradient-based learning applied to document recognition";
    private static final String ALEXNET = "Krizhevsky et al. 2012, ImageNet classification with deep convolutional neural networks";
    private static final String VGG = "Simonyan & Zisserman 2014, Very deep convolutional networks for large-scale image recognition";
    private static final String RESNET = "He et al. 2015, Deep residual learning for image recognition";
    private static final String GOOGLENET = "Szegedy et al. 2014, Going deeper with convolutions";
    private static final String INCEPTION_V3 = "Szegedy et al. 2015, Rethinking the Inception architecture for computer vision";
    private static final String MOBILENET_V1 = "Howard et al. 2017, MobileNets: efficient convolutional neural networks for mobile vision applications";
    private static final String MOBILENET_V2 = "Sandler et al. 2018, MobileNetV2: inverted residuals and linear bottlenecks";
    private static final String EFFICIENTNET = "Tan & Le 2019, EfficientNet: rethinking model scaling for convolutional neural networks";

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add(LENET, LeNet5::modern);
        add(LENET, LeNet5::classic);
        add(ALEXNET, AlexNet::alexnet);
        add(VGG, Vgg::vgg16);
        add(VGG, Vgg::vgg19);
        add(RESNET, ResNet::resnet18);
        add(RESNET, ResNet::resnet34);
        add(RESNET, ResNet::resnet50);
        add(RESNET, ResNet::resnet101);
        add(RESNET, ResNet::resnet152);
        add(GOOGLENET, GoogLeNet::googlenet);
        add(INCEPTION_V3, InceptionV3::inceptionV3);
        add(MOBILENET_V1, MobileNetV1::mobilenetV1);
        add(MOBILENET_V2, MobileNetV2::mobilenetV2);
        add(EFFICIENTNET, EfficientNet::b0);
        add(EFFICIENTNET, EfficientNet::b1);
        add(EFFICIENTNET, EfficientNet::b2);
        add(EFFICIENTNET, EfficientNet::b3);
        add(EFFICIENTNET, EfficientNet::b4);
        add(EFFICIENTNET, EfficientNet::b5);
        add(EFFICIENTNET, EfficientNet::b6);
        add(EFFICIENTNET, EfficientNet::b7);
    }

    private Zoo() {
    }

    private static void add(String paper, Supplier<? extends Architecture<?>> factory) {
        String name = factory.get().name();
        ENTRIES.put(name, new Entry(name, paper, factory));
    }

    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    /** Whether a network goes by that name (as {@link #get} reads it). */
    public static boolean has(String name) {
        return ENTRIES.containsKey(name.toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** The entry of that name. @throws IllegalArgumentException naming the known networks */
    public static Entry get(String name) {
        Entry entry = ENTRIES.get(name.toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
        if (entry == null) {
            throw new IllegalArgumentException("unknown network '" + name + "'; known: " + String.join(", ", ENTRIES.keySet()));
        }
        return entry;
    }
}
