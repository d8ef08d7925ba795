package org.cnnzoo.zoo.weights;

import org.cnnzoo.common.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy's .npy format for little-endian float32/float64 arrays in C order: what other frameworks exchange. */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** @throws IOException naming the file and what is unsupported */
    public static INDArray read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + " is not a .npy file");
        }
        int major = bytes[6];
        if (major < 1 || major > 3) {
            throw new IOException(file + ": .npy format version " + major + " is not one this reader knows (1 to 3)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int start = major == 1 ? 10 : 12;
        if (bytes.length < start) {
            throw new IOException(file + ": the .npy file ends inside its header");
        }
        long headerLength = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8) & 0xFFFFFFFFL;
        if (headerLength > bytes.length - start) {
            throw new IOException(file + ": the .npy header claims " + headerLength + " bytes but the file ends first"
                    + " (truncated or not written by numpy)");
        }
        String header = new String(bytes, start, (int) headerLength, major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(file + ": unreadable .npy header " + header.trim());
        }
        if (fortran.group(1).equals("True")) {
            throw new IOException(file + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        }
        String[] dims = shape.group(1).split(",");
        long[] s;
        try {
            s = java.util.Arrays.stream(dims).map(String::trim).filter(d -> !d.isEmpty()).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IOException(file + ": the .npy shape (" + shape.group(1) + ") is not a list of whole numbers");
        }
        int width = switch (descr.group(1)) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException(file + ": dtype " + descr.group(1) + " is not supported; use float32 ('<f4')");
        };
        long count = 1;
        for (long d : s) {
            if (d < 0) {
                throw new IOException(file + ": the .npy shape (" + shape.group(1) + ") has a negative dimension");
            }
            count = d != 0 && count > Integer.MAX_VALUE / d ? Long.MAX_VALUE : count * d;
        }
        if (s.length == 0 || count == 0) {
            throw new IOException(file + ": the .npy array is empty (shape (" + shape.group(1) + ")); give an NCHW batch");
        }
        if (count > Integer.MAX_VALUE || count * width != bytes.length - start - headerLength) {
            throw new IOException(file + ": shape (" + shape.group(1) + ") of " + descr.group(1) + " needs "
                    + (count > Integer.MAX_VALUE ? "more than 2^31 values" : count * width + " bytes of data") + " but the file has "
                    + (bytes.length - start - headerLength) + " (truncated, or not written by numpy)");
        }
        b.position((int) (start + headerLength));
        float[] values = new float[(int) count];
        if (width == 4) {
            b.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) b.getDouble();
            }
        }
        return Nd4j.create(values, s, 'c');
    }

    /** Writes a float32 array in C order, atomically. */
    public static void write(Path file, INDArray array) throws IOException {
        INDArray a = array.castTo(DataType.FLOAT).dup('c');
        StringBuilder shape = new StringBuilder();
        for (long d : a.shape()) {
            shape.append(d).append(", ");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.toString().replaceAll(", $",
                a.rank() == 1 ? "," : "") + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        float[] values = a.data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        b.asFloatBuffer().put(values);
        AtomicFiles.write(file, tmp -> Files.write(tmp, b.array()));
    }
}
