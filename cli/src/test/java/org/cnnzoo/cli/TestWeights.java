package org.cnnzoo.cli;

import org.cnnzoo.zoo.weights.StateDictLayout;
import org.cnnzoo.zoo.models.ResNet;
import org.cnnzoo.zoo.weights.Safetensors;
import org.cnnzoo.zoo.weights.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

/** ResNet-18 weights in torchvision's layout, valued by a function of (key, index), written as safetensors. */
final class TestWeights {
    private TestWeights() {
    }

    static Path resnet18(Path file, ToDoubleBiFunction<String, Integer> value) throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (StateDictLayout.Entry e : StateDictLayout.of(ResNet.resnet18().build())) {
            long[] shape = e.shape().stream().mapToLong(Long::longValue).toArray();
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) value.applyAsDouble(e.key(), i);
            }
            state.put(e.key(), new Tensor(shape, v));
        }
        Safetensors.write(file, state);
        return file;
    }
}
