package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.InceptionV3;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import org.cnnzoo.zoo.weights.WeightStore;
import org.cnnzoo.zoo.weights.WeightsEntry;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weight catalogue agrees with the networks it is attached to: every torchvision entry's parameter count,
 * multiply-adds and batch-norm eps (read off torchvision's own model by the generating script) are what the zoo
 * builds, and every network torchvision publishes weights for has exactly one default.
 */
class CatalogueTest {
    private static final Set<String> TORCHVISION_HAS = Set.of("alexnet", "vgg16", "vgg19", "resnet18", "resnet34",
            "resnet50", "resnet101", "resnet152", "googlenet", "inception_v3", "mobilenet_v2", "efficientnet_b0",
            "efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4", "efficientnet_b5",
            "efficientnet_b6", "efficientnet_b7");

    @Test
    void torchvisionEntriesMatchTheNetworksTheyLoadInto() {
        List<WeightsEntry> torchvision = WeightStore.known().stream()
                .filter(e -> WeightsEntry.PYTORCH.equals(e.format())).toList();
        assertEquals(25, torchvision.size(), "torchvision 0.14 publishes 25 weights for the zoo's networks");
        for (WeightsEntry e : torchvision) {
            int crop = e.preprocessing().crop();
            Architecture<?> arch = Zoo.get(e.architecture()).create().optInput(crop, crop, 3)
                    .optTransformInput(e.build().transformInput());
            if (arch instanceof InceptionV3 inception) {
                inception.optAuxClassifier(true);    // torchvision counts the auxiliary head its checkpoint holds
            }
            ModelSummary summary = Summarizer.of(arch);
            assertEquals(((Number) e.metadata().get("params")).longValue(), summary.params().trainable(), e.id());
            if (!(arch instanceof InceptionV3)) {
                double gmacs = ((Number) e.metadata().get("gmacs")).doubleValue();
                assertEquals(gmacs, summary.macs() / 1e9, 0.0015, e.id() + " multiply-adds");
            }
            Set<Double> eps = new TreeSet<>();
            arch.build().getVertices().values().forEach(v -> {
                if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                    eps.add(bn.getEps());
                }
            });
            @SuppressWarnings("unchecked")
            List<Number> expected = (List<Number>) e.metadata().getOrDefault("batchNormEps", List.of());
            assertEquals(new TreeSet<>(expected.stream().map(Number::doubleValue).toList()), eps, e.id() + " eps");
            assertTrue(e.sha256Prefix().matches("[0-9a-f]{8}") && e.fileName().contains(e.sha256Prefix()), e.id());
            assertTrue(e.url().startsWith("https://download.pytorch.org/models/"), e.id());
            assertEquals(e.build().transformInput(), arch instanceof GoogLeNet || arch instanceof InceptionV3, e.id());
        }
    }

    @Test
    void everyNetworkTorchvisionCoversHasOneDefaultAndEveryEntryFitsTheZoo() {
        List<WeightsEntry> known = WeightStore.known();
        Set<String> names = new HashSet<>();
        for (WeightsEntry e : known) {
            Zoo.get(e.architecture());
            assertTrue(e.url().startsWith("https://"), e.id());
            assertEquals(3, e.preprocessing().mean().length, e.id());
            e.preprocessing().supported(e.id());
            assertTrue(names.add(e.id()), "duplicate " + e.id());
            for (String alias : e.aliases()) {
                assertTrue(names.add(alias), "duplicate " + alias);
            }
        }
        for (String network : TORCHVISION_HAS) {
            long defaults = known.stream().filter(e -> e.aliases().contains(network)).count();
            assertEquals(1, defaults, network);
            assertTrue(new WeightStore(java.nio.file.Path.of("unused")).find(network + ".DEFAULT").isPresent(), network);
        }
        assertTrue(known.stream().anyMatch(e -> e.id().equals("vgg16.IMAGENET1K_FEATURES") && e.backboneOnly()));
        assertEquals("bicubic", known.stream().filter(e -> e.id().equals("efficientnet_b0.IMAGENET1K_V1")).findFirst()
                .orElseThrow().preprocessing().interpolation());
    }
}
