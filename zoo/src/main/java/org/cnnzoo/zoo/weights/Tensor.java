package org.cnnzoo.zoo.weights;

/**
 * A tensor of a state dict, whatever file it came from: its shape and its values in row-major order, as float32
 * (the zoo's parameter type; float16, bfloat16, float64 and int64 files are converted when read).
 */
public record Tensor(long[] shape, float[] values) {
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
