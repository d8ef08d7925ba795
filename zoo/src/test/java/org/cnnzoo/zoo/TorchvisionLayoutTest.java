package org.cnnzoo.zoo;

import org.cnnzoo.zoo.weights.StateDictLayout;
import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.InceptionV3;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every parameter of each graph corresponds, by name and shape, to exactly one tensor of torchvision's state dict,
 * and the other way round. The reference files come from tools/reference/torchvision_state_dicts.py.
 */
class TorchvisionLayoutTest {

    static Stream<Arguments> networks() {
        Stream<Arguments> plain = Stream.of("alexnet", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50",
                        "resnet101", "resnet152", "googlenet", "inception_v3", "mobilenet_v2", "efficientnet_b0",
                        "efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4", "efficientnet_b5",
                        "efficientnet_b6", "efficientnet_b7")
                .map(n -> Arguments.of(n, Zoo.get(n).create()));
        return Stream.concat(plain, Stream.of(
                Arguments.of("inception_v3-aux", InceptionV3.inceptionV3().optAuxClassifier(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void parametersMapOntoTorchvisionStateDict(String reference, Architecture<?> arch) throws IOException {
        Map<String, String> expected = read(reference);
        Map<String, String> actual = new LinkedHashMap<>();
        for (StateDictLayout.Entry e : StateDictLayout.of(arch.build())) {
            String shape = String.join("x", e.shape().stream().map(String::valueOf).toList());
            actual.put(e.key(), (e.trainable() ? "param" : "buffer") + "\t" + shape);
        }
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        TreeSet<String> unexpected = new TreeSet<>(actual.keySet());
        unexpected.removeAll(expected.keySet());
        assertEquals("", missing.isEmpty() && unexpected.isEmpty() ? ""
                : "missing " + missing + "\nunexpected " + unexpected, reference);
        assertEquals(expected, actual, reference + " shapes");
    }

    /**
     * GoogLeNet's auxiliary classifiers follow the paper (5x5/3 average pool) where torchvision pools adaptively;
     * their parameters still line up with torchvision's aux1/aux2 tensors name for name.
     */
    @ParameterizedTest(name = "googlenet-aux")
    @MethodSource("googlenetAux")
    void googlenetAuxiliaryClassifiersMapToo(Architecture<?> arch) throws IOException {
        Map<String, String> expected = read("googlenet-aux");
        TreeSet<String> actual = new TreeSet<>();
        StateDictLayout.of(arch.build()).forEach(e -> actual.add(e.key()));
        assertEquals(new TreeSet<>(expected.keySet()), actual);
    }

    static Stream<Architecture<?>> googlenetAux() {
        return Stream.of(GoogLeNet.googlenet().optAuxClassifiers(true));
    }

    private static Map<String, String> read(String reference) throws IOException {
        String path = "/reference/torchvision/" + reference + ".tsv";
        Map<String, String> result = new LinkedHashMap<>();
        try (InputStream in = TorchvisionLayoutTest.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing reference " + path + ": run tools/reference/torchvision_state_dicts.py");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] f = line.split("\t");
                    result.put(f[0], f[1] + "\t" + f[2]);
                }
            }
        }
        return result;
    }
}
