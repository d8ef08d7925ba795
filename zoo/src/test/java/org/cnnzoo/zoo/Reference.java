package org.cnnzoo.zoo;

import java.util.Map;

/**
 * The reference sizes of shared/notes/reference-architectures.md: torchvision 0.14's trainable parameters,
 * batch-norm statistics and published GFLOPs (multiply-adds) at each network's default input. EfficientNet-B1..B7
 * GFLOPs are the "_ops" of torchvision's weight metadata (newer than 0.14, which has none); B2's is measured at
 * 288x288, the crop of its weights, rather than the paper's 260.
 */
final class Reference {
    /** bnStats is Long.MIN_VALUE where no reference figure exists; gmacsInput 0 means the default input. */
    record Size(long trainable, long bnStats, double gmacs, int gmacsInput) {
        Size(long trainable, long bnStats, double gmacs) {
            this(trainable, bnStats, gmacs, 0);
        }
    }

    static final Map<String, Size> SIZES = Map.ofEntries(
            Map.entry("lenet5", new Size(61_706, 0, 0.0004)),
            Map.entry("lenet5_1998", new Size(61_706, 0, 0.0004)),
            Map.entry("alexnet", new Size(61_100_840, 0, 0.71)),
            Map.entry("vgg16", new Size(138_357_544, 0, 15.47)),
            Map.entry("vgg19", new Size(143_667_240, 0, 19.63)),
            Map.entry("resnet18", new Size(11_689_512, 9_600, 1.81)),
            Map.entry("resnet34", new Size(21_797_672, 17_024, 3.66)),
            Map.entry("resnet50", new Size(25_557_032, 53_120, 4.09)),
            Map.entry("resnet101", new Size(44_549_160, 105_344, 7.80)),
            Map.entry("resnet152", new Size(60_192_808, 151_424, 11.51)),
            Map.entry("googlenet", new Size(6_624_904, 14_560, 1.50)),
            Map.entry("inception_v3", new Size(23_834_568, 34_432, 5.71)),
            Map.entry("mobilenet_v1", new Size(4_231_976, 21_888, 0.57)),
            Map.entry("mobilenet_v2", new Size(3_504_872, 34_112, 0.30)),
            Map.entry("efficientnet_b0", new Size(5_288_548, 42_016, 0.39)),
            Map.entry("efficientnet_b1", new Size(7_794_184, Long.MIN_VALUE, 0.687)),
            Map.entry("efficientnet_b2", new Size(9_109_994, Long.MIN_VALUE, 1.088, 288)),
            Map.entry("efficientnet_b3", new Size(12_233_232, Long.MIN_VALUE, 1.827)),
            Map.entry("efficientnet_b4", new Size(19_341_616, Long.MIN_VALUE, 4.394)),
            Map.entry("efficientnet_b5", new Size(30_389_784, Long.MIN_VALUE, 10.266)),
            Map.entry("efficientnet_b6", new Size(43_040_704, Long.MIN_VALUE, 19.068)),
            Map.entry("efficientnet_b7", new Size(66_347_960, Long.MIN_VALUE, 37.746)));

    private Reference() {
    }
}
