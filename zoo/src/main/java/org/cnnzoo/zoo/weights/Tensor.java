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

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;                           // zero or subnormal
            return sign == 0 ? value : -value;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));   // infinity or NaN
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
