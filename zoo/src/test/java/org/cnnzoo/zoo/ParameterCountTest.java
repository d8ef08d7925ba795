package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.EfficientNet;
import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.InceptionV3;
import org.cnnzoo.zoo.models.MobileNetV1;
import org.cnnzoo.zoo.models.MobileNetV2;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterCountTest {

    static Stream<String> networks() {
        return Zoo.all().stream().map(Zoo.Entry::name);
    }

    /** DL4J's own count of a configuration: every parameter, and batch-norm statistics separately. */
    static long[] dl4jCounts(ComputationGraphConfiguration conf) {
        long total = 0;
        long stats = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            total += v.numParams(true);
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                stats += 2 * bn.getNOut();
            }
        }
        return new long[]{total - stats, total};
    }

    @ParameterizedTest
    @MethodSource("networks")
    void trainableParametersEqualTheReference(String name) {
        Reference.Size expected = Reference.SIZES.get(name);
        long[] counts = dl4jCounts(Zoo.get(name).create().build());
        assertEquals(expected.trainable(), counts[0], name + " trainable parameters");
        if (expected.bnStats() != Long.MIN_VALUE) {
            assertEquals(expected.bnStats(), counts[1] - counts[0], name + " batch-norm statistics");
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    void summaryCountsEqualDl4jCountsVertexByVertex(String name) {
        Architecture<?> arch = Zoo.get(name).create();
        ComputationGraphConfiguration conf = arch.build();
        ModelSummary summary = Summarizer.of(arch);
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            assertEquals(v.getValue().numParams(true), summary.layer(v.getKey()).params().total(),
                    name + " vertex " + v.getKey());
        }
        long[] counts = dl4jCounts(conf);
        assertEquals(counts[0], summary.params().trainable());
        assertEquals(counts[1], summary.params().total());
    }

    /**
     * Multiply-adds at the default input agree with the published GFLOPs (which count multiply-adds) within 2%,
     * or within the rounding of the published figure where that is coarser (LeNet-5's 0.0004).
     */
    @ParameterizedTest
    @MethodSource("networks")
    void multiplyAddsAgreeWithPublishedGflops(String name) {
        Reference.Size reference = Reference.SIZES.get(name);
        double published = reference.gmacs();
        double rounding = name.startsWith("lenet") ? 0.00005 : 0.005;
        Architecture<?> arch = Zoo.get(name).create();
        if (reference.gmacsInput() > 0) {
            arch.optInput(reference.gmacsInput(), reference.gmacsInput(), arch.channels());
        }
        double macs = Summarizer.of(arch).macs() / 1e9;
        assertEquals(published, macs, Math.max(0.02 * published, rounding), name + " GMACs");
    }

    @Test
    void auxiliaryClassifiersMatchTorchvision() {
        assertEquals(13_004_888, dl4jCounts(GoogLeNet.googlenet().optAuxClassifiers(true).build())[0]);
        assertEquals(27_161_264, dl4jCounts(InceptionV3.inceptionV3().optAuxClassifier(true).build())[0]);
    }

    @Test
    void mobileNetV1MatchesKerasApplicationsTotal() {
        // Keras counts batch-norm statistics among its parameters: 4,253,864 in total.
        assertEquals(4_253_864, dl4jCounts(MobileNetV1.mobilenetV1().build())[1]);
    }

    @Test
    void widthMultipliersThinEveryLayerAndStayConsistent() {
        long full = dl4jCounts(MobileNetV1.mobilenetV1().build())[0];
        long half = dl4jCounts(MobileNetV1.mobilenetV1().optAlpha(0.5).build())[0];
        // pointwise layers dominate and scale with alpha^2; the 1000-class classifier scales with alpha
        assertTrue(half < full / 2 && half > full / 5, "alpha 0.5 gives " + half + " of " + full);
        for (Architecture<?> a : new Architecture<?>[]{MobileNetV1.mobilenetV1().optAlpha(0.75).optResolution(0.857),
                MobileNetV2.mobilenetV2().optAlpha(0.5), MobileNetV2.mobilenetV2().optExpansion(4),
                EfficientNet.compound("custom", 1.2, 1.1, 192, 0.2)}) {
            ModelSummary s = Summarizer.of(a);
            assertEquals(dl4jCounts(a.build())[1], s.params().total(), a.name());
        }
        assertEquals(192, MobileNetV1.mobilenetV1().optResolution(0.857).height());
    }

    @Test
    void classCountOnlyChangesTheHead() {
        long thousand = dl4jCounts(Zoo.get("resnet50").create().build())[0];
        long ten = dl4jCounts(Zoo.get("resnet50").create().optClasses(10).build())[0];
        assertEquals((2048 + 1) * 990L, thousand - ten);
    }
}
