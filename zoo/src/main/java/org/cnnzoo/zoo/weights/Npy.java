package org.cnnzoo.zoo.weights;

import org.cnnzoo.zoo.io.AtomicFiles;
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
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLength, StandardCharsets.ISO_8859_1);
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
        long[] s = java.util.Arrays.stream(dims).map(String::trim).filter(d -> !d.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long d : s) {
            count *= d;
        }
        b.position(start + headerLength);
        float[] values = new float[(int) count];
        switch (descr.group(1)) {
            case "<f4" -> b.asFloatBuffer().get(values);
            case "<f8" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) b.getDouble();
                }
            }
            default -> throw new IOException(file + ": dtype " + descr.group(1) + " is not supported; use float32 ('<f4')");
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
