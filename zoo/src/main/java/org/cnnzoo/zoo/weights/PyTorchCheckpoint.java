package org.cnnzoo.zoo.weights;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the state dict of a PyTorch checkpoint ({@code .pth} / {@code .pt}) without running anything from it.
 *
 * <p>Both formats {@code torch.save} writes: the zip archive (torch 1.6 and later: {@code STEM/data.pkl}, one raw
 * little-endian storage per {@code STEM/data/KEY}) and the legacy stream (magic number, protocol, system info, the
 * pickle, the storage keys, then each storage's element count and bytes). Tensors are rebuilt from their storage,
 * offset, size and stride, so views and transposes read right; float32, float16, bfloat16, float64 and int64
 * storages become float32. A checkpoint that wraps its state dict ({@code state_dict}, {@code model}) or prefixes
 * every key with {@code module.} (DataParallel) is unwrapped.
 *
 * <p>Safety works like torch's {@code weights_only=True}: the unpickler resolves only the globals a state dict
 * needs ({@link #ALLOWED}) to inert Java objects; any other global, and the opcodes that name classes inline or
 * through the extension registry, are refused with an error naming them. Every length in the file is checked
 * against the bytes that are there before anything is allocated.
 */
public final class PyTorchCheckpoint {
    /** The globals a state dict may name, as torch's {@code weights_only} loader allows them. */
    public static final List<String> ALLOWED = List.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.DoubleStorage", "torch.LongStorage", "torch.IntStorage");

    /** A state dict's pickle is small (tens of kilobytes for ResNet-152); more is a damaged or crafted file. */
    static final long MAX_PICKLE_BYTES = 64L << 20;
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;

    private PyTorchCheckpoint() {
    }

    /** Whether the file starts like one of the two formats (a zip archive holding {@code data.pkl}, or the stream). */
    public static boolean recognises(Path file) throws IOException {
        byte[] head = WeightFormat.head(file, 16);
        if (WeightFormat.isZip(head)) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                return zip.stream().anyMatch(e -> e.getName().endsWith("/data.pkl"));
            } catch (IOException e) {
                return false;
            }
        }
        // protocol 2, then LONG1 with the 10-byte magic number
        return head.length >= 3 && (head[0] & 0xFF) == 0x80 && head[1] == 2 && (head[2] & 0xFF) == 0x8a;
    }

    /**
     * Every tensor of the checkpoint's state dict by key, in key order.
     *
     * @throws IOException naming the file and what is wrong: not a checkpoint, a refused global, a length or view
     *                     beyond the data, an unsupported storage type
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] head = WeightFormat.head(file, 16);
        try {
            Object root = WeightFormat.isZip(head) ? readZip(file) : readLegacy(file);
            return stateDict(file, root);
        } catch (PickleException | ClassCastException | IllegalStateException | ArithmeticException e) {
            throw new IOException(file + " is not a readable PyTorch state dict: " + e.getMessage()
                    + (e instanceof UnsafeGlobal ? "" : " (a damaged file, or a checkpoint that is not a state dict)"), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- formats

    private static Object readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = null;
            for (var it = zip.entries().asIterator(); it.hasNext(); ) {
                ZipEntry e = it.next();
                if (e.getName().endsWith("/data.pkl") && e.getName().indexOf('/') == e.getName().length() - 9) {
                    if (pickle != null) {
                        throw new IOException(file + " holds two data.pkl entries; not a torch.save archive");
                    }
                    pickle = e;
                }
            }
            if (pickle == null) {
                throw new IOException(file + " is a zip archive without a data.pkl: not a PyTorch checkpoint (a DL4J"
                        + " model zip goes to --model, not --weights)");
            }
            String stem = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(stem + "byteorder");
            if (order != null) {
                String value = new String(bounded(zip, order, 16, file), StandardCharsets.US_ASCII).trim();
                if (!value.equals("little")) {
                    throw new IOException(file + " was saved with " + value + "-endian storages; only little-endian"
                            + " ones are read");
                }
            }
            byte[] bytes = bounded(zip, pickle, MAX_PICKLE_BYTES, file);
            SafeUnpickler unpickler = new SafeUnpickler(false);
            Object root = unpickler.load(new Counting(new java.io.ByteArrayInputStream(bytes), bytes.length));
            Map<String, ZipEntry> storages = new HashMap<>();
            for (StorageRef s : unpickler.storages) {
                ZipEntry e = zip.getEntry(stem + "data/" + s.key);
                if (e == null) {
                    throw new IOException(file + ": storage " + s.key + " is referenced but missing from the archive");
                }
                if (e.getSize() < 0 || e.getSize() < s.bytes()) {
                    throw new IOException(file + ": storage " + s.key + " has " + e.getSize() + " bytes, the pickle"
                            + " says " + s.numel + " values of " + s.type.name);
                }
                storages.put(s.key, e);
            }
            materialise(file, unpickler.tensors, s -> bounded(zip, storages.get(s.key), s.bytes(), file));
            return root;
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + " is a damaged zip archive: " + e.getMessage(), e);
        }
    }

    private static byte[] bounded(ZipFile zip, ZipEntry entry, long limit, Path file) throws IOException {
        if (entry.getSize() > limit || entry.getSize() > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": " + entry.getName() + " has " + entry.getSize() + " bytes, more than the "
                    + limit + " expected");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit, entry.getSize() < 0 ? limit : entry.getSize()));
            if (entry.getSize() >= 0 && bytes.length != entry.getSize()) {
                throw new IOException(file + ": " + entry.getName() + " is cut short");
            }
            return bytes;
        }
    }

    private static Object readLegacy(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            Counting in = new Counting(new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16), size);
            Object magic = new SafeUnpickler(true).load(in);
            if (!LEGACY_MAGIC.equals(magic instanceof Number n ? new BigInteger(n.toString()) : null)) {
                throw new IOException(file + " is neither a zip archive nor a legacy torch.save stream; not a PyTorch"
                        + " checkpoint");
            }
            Object protocol = new SafeUnpickler(true).load(in);
            if (!(protocol instanceof Number p) || p.intValue() != LEGACY_PROTOCOL) {
                throw new IOException(file + ": legacy protocol " + protocol + " is not " + LEGACY_PROTOCOL);
            }
            Object info = new SafeUnpickler(true).load(in);
            if (info instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("little_endian"))) {
                throw new IOException(file + " was saved on a big-endian machine; only little-endian checkpoints are read");
            }
            SafeUnpickler unpickler = new SafeUnpickler(false);
            Object root = unpickler.load(in);
            Object keys = new SafeUnpickler(true).load(in);
            if (!(keys instanceof List<?> list)) {
                throw new IOException(file + ": the storage key list is missing");
            }
            Map<String, StorageRef> byKey = new HashMap<>();
            for (StorageRef s : unpickler.storages) {
                byKey.putIfAbsent(s.key, s);
            }
            // each storage: its element count (int64) and its bytes, in the order of the key list
            Map<String, Long> offsets = new HashMap<>();
            long position = in.position;
            ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            for (Object k : list) {
                String key = String.valueOf(k);
                count.clear();
                if (channel.read(count, position) != 8) {
                    throw new IOException(file + " is cut short in the storage of " + key);
                }
                long numel = count.flip().getLong();
                StorageRef s = byKey.get(key);
                long width = s == null ? 4 : s.type.width;
                if (numel < 0 || numel > (size - position - 8) / width) {
                    throw new IOException(file + ": storage " + key + " claims " + numel + " values; the file has "
                            + (size - position - 8) + " bytes left");
                }
                offsets.put(key, position + 8);
                position += 8 + numel * width;
            }
            for (StorageRef s : unpickler.storages) {
                Long at = offsets.get(s.key);
                if (at == null || at + s.bytes() > size) {
                    throw new IOException(file + ": storage " + s.key + " is referenced but not in the file");
                }
            }
            materialise(file, unpickler.tensors, s -> {
                ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(s.bytes()));
                channel.read(bytes, offsets.get(s.key));
                return bytes.array();
            });
            return root;
        }
    }

    // ------------------------------------------------------------------------------------------- tensors

    private interface StorageBytes {
        byte[] read(StorageRef storage) throws IOException;
    }

    /** Reads each storage once and fills every tensor that views it. */
    private static void materialise(Path file, List<TensorRef> tensors, StorageBytes source) throws IOException {
        Map<String, List<TensorRef>> byStorage = new LinkedHashMap<>();
        long storageValues = 0;
        Map<String, Long> seen = new HashMap<>();
        for (TensorRef t : tensors) {
            byStorage.computeIfAbsent(t.storage.key, k -> new ArrayList<>()).add(t);
            if (seen.put(t.storage.key, t.storage.numel) == null) {
                storageValues += t.storage.numel;
            }
        }
        // views may share storage, but not multiply it without bound
        long requested = tensors.stream().mapToLong(TensorRef::numel).sum();
        if (requested > 4 * storageValues + (1 << 20)) {
            throw new IOException(file + ": its tensors ask for " + requested + " values from storages of "
                    + storageValues + "; a damaged or crafted file");
        }
        for (List<TensorRef> group : byStorage.values()) {
            StorageRef storage = group.get(0).storage;
            ByteBuffer bytes = ByteBuffer.wrap(source.read(storage)).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorRef t : group) {
                t.values = t.read(file, bytes);
            }
        }
    }

    /** The state dict inside the unpickled object: unwrapped from a checkpoint dict, without a common module. prefix. */
    private static Map<String, Tensor> stateDict(Path file, Object root) throws IOException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new IOException(file + " holds a " + describe(root) + ", not a state dict");
        }
        for (String wrapper : List.of("state_dict", "model", "model_state_dict", "model_state")) {
            if (!hasTensors(map) && map.get(wrapper) instanceof Map<?, ?> inner && hasTensors(inner)) {
                map = inner;
            }
        }
        Map<String, Tensor> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof TensorRef t) {
                out.put(String.valueOf(e.getKey()), new Tensor(t.size, t.values));
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + " holds no tensors at its top level nor under state_dict or model (keys: "
                    + map.keySet().stream().limit(10).map(String::valueOf).toList() + ")");
        }
        if (out.keySet().stream().allMatch(k -> k.startsWith("module."))) {
            Map<String, Tensor> stripped = new TreeMap<>();
            out.forEach((k, v) -> stripped.put(k.substring("module.".length()), v));
            return stripped;
        }
        return out;
    }

    private static boolean hasTensors(Map<?, ?> map) {
        return map.values().stream().anyMatch(v -> v instanceof TensorRef);
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof StateDictMap ? "dict" : o.getClass().getSimpleName();
    }

    /** A storage type named by the pickle: how many bytes per value and how to read one. */
    enum StorageType implements IObjectConstructor {
        FLOAT("FloatStorage", 4), HALF("HalfStorage", 2), BFLOAT16("BFloat16Storage", 2), DOUBLE("DoubleStorage", 8),
        LONG("LongStorage", 8), INT("IntStorage", 4);

        final String name;
        final int width;

        StorageType(String name, int width) {
            this.name = name;
            this.width = width;
        }

        float value(ByteBuffer b, long index) {
            int at = Math.toIntExact(index * width);
            return switch (this) {
                case FLOAT -> b.getFloat(at);
                case HALF -> Tensor.halfToFloat(b.getShort(at));
                case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xFFFF) << 16);
                case DOUBLE -> (float) b.getDouble(at);
                case LONG -> (float) b.getLong(at);
                case INT -> (float) b.getInt(at);
            };
        }

        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + name + " is only a storage type; it cannot be called");
        }
    }

    /** A storage as the pickle's persistent id names it. */
    record StorageRef(String key, StorageType type, long numel) {
        long bytes() {
            return numel * type.width;
        }
    }

    /** A tensor as {@code _rebuild_tensor_v2} describes it, filled once its storage is read. */
    static final class TensorRef {
        final StorageRef storage;
        final long offset;
        final long[] size;
        final long[] stride;
        float[] values;

        TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
            this.storage = storage;
            this.offset = offset;
            this.size = size;
            this.stride = stride;
        }

        long numel() {
            long n = 1;
            for (long d : size) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        float[] read(Path file, ByteBuffer bytes) throws IOException {
            long n = numel();
            long last = offset;
            for (int d = 0; d < size.length; d++) {
                if (size[d] < 0 || stride[d] < 0) {
                    throw new IOException(file + ": a tensor has size " + java.util.Arrays.toString(size) + " and stride "
                            + java.util.Arrays.toString(stride) + "; negative values are not valid");
                }
                last += size[d] == 0 ? 0 : (size[d] - 1) * stride[d];
            }
            if (n > 0 && (offset < 0 || last >= storage.numel)) {
                throw new IOException(file + ": a tensor of size " + java.util.Arrays.toString(size) + " at offset "
                        + offset + " reaches past its storage of " + storage.numel + " values");
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": a tensor of " + n + " values is too large for one array");
            }
            float[] out = new float[(int) n];
            int rank = size.length;
            long[] index = new long[rank];
            long position = offset;
            for (int i = 0; i < n; i++) {
                out[i] = storage.type.value(bytes, position);
                // advance the row-major index, moving the storage position by the strides
                for (int d = rank - 1; d >= 0; d--) {
                    index[d]++;
                    position += stride[d];
                    if (index[d] < size[d]) {
                        break;
                    }
                    position -= index[d] * stride[d];
                    index[d] = 0;
                }
            }
            return out;
        }
    }

    /**
     * {@code collections.OrderedDict} as the pickle builds it. Public because the unpickler calls
     * {@code __setstate__} reflectively for the {@code _metadata} attribute torch attaches (no tensors there).
     */
    public static final class StateDictMap extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // module versions only; nothing to keep
        }
    }

    /** A global that a state dict never needs, refused before anything could use it. */
    static final class UnsafeGlobal extends PickleException {
        UnsafeGlobal(String message) {
            super(message);
        }
    }

    /** Counts the bytes read so that every length can be checked against what is left. */
    private static final class Counting extends FilterInputStream {
        final long size;
        long position;
        private long mark;

        Counting(InputStream in, long size) {
            super(in);
            this.size = size;
        }

        long remaining() {
            return size - position;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            position += skipped;
            return skipped;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            mark = position;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            position = mark;
        }
    }

    /** Pyrolite's unpickler with only the state dict's globals, and every length checked before it is read. */
    private static final class SafeUnpickler extends Unpickler {
        private static final short GLOBAL = 'c';
        private static final short STACK_GLOBAL = 0x93;
        private static final short INST = 'i';
        private static final short PERSID = 'P';
        private static final short EXT1 = 0x82;
        private static final short EXT2 = 0x83;
        private static final short EXT4 = 0x84;

        /** Opcodes followed by a byte count of 4 or 8 bytes: checked against the bytes left. */
        private static final Map<Short, Integer> LENGTH_PREFIXED = Map.of((short) 'B', 4, (short) 'X', 4,
                (short) 'T', 4, (short) 0x8b, 4, (short) 0x8e, 8, (short) 0x8d, 8, (short) 0x96, 8, (short) 0x95, 8);

        /** For the legacy header pickles, which are plain values: no globals at all. */
        private final boolean plain;
        final List<StorageRef> storages = new ArrayList<>();
        final List<TensorRef> tensors = new ArrayList<>();

        SafeUnpickler(boolean plain) {
            this.plain = plain;
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case GLOBAL -> {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(resolve(module, name));
                    return NO_RETURN_VALUE;
                }
                case STACK_GLOBAL -> {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                    return NO_RETURN_VALUE;
                }
                case INST, EXT1, EXT2, EXT4, PERSID -> throw new UnsafeGlobal("opcode 0x" + Integer.toHexString(key)
                        + " names a class outside the list a state dict needs; refused");
                default -> {
                    Integer width = LENGTH_PREFIXED.get(key);
                    if (width != null) {
                        checkLength(key, width);
                    }
                    return super.dispatch(key);
                }
            }
        }

        private void checkLength(short key, int width) throws IOException {
            Counting counting = (Counting) input;
            counting.mark(16);
            byte[] raw = PickleUtils.readbytes(input, width);
            counting.reset();
            long length = width == 4 ? (ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL)
                    : ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (key == 0x95) {
                return;                                          // a frame's length only announces what follows
            }
            if (length < 0 || length > counting.remaining() - width) {
                throw new PickleException("opcode 0x" + Integer.toHexString(key) + " announces " + length
                        + " bytes where " + (counting.remaining() - width) + " are left");
            }
        }

        private Object resolve(String module, String name) {
            String global = module + "." + name;
            if (plain || !ALLOWED.contains(global)) {
                throw new UnsafeGlobal("the pickle names the global " + global + ", which a state dict never needs;"
                        + " refused (nothing from the file was run). Allowed: " + String.join(", ", ALLOWED));
            }
            return switch (global) {
                case "collections.OrderedDict" -> (IObjectConstructor) args -> new StateDictMap();
                case "torch._utils._rebuild_tensor_v2" -> (IObjectConstructor) this::rebuildTensor;
                case "torch._utils._rebuild_parameter" -> (IObjectConstructor) args -> {
                    if (args.length < 1 || !(args[0] instanceof TensorRef)) {
                        throw new PickleException("_rebuild_parameter without a tensor");
                    }
                    return args[0];
                };
                default -> {
                    for (StorageType t : StorageType.values()) {
                        if (global.equals("torch." + t.name)) {
                            yield t;
                        }
                    }
                    throw new IllegalStateException(global);
                }
            };
        }

        private Object rebuildTensor(Object[] args) {
            if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
                throw new PickleException("_rebuild_tensor_v2 called without a storage");
            }
            long[] size = longs(args[2], "size");
            long[] stride = longs(args[3], "stride");
            if (size.length != stride.length) {
                throw new PickleException("a tensor's size " + java.util.Arrays.toString(size) + " and stride "
                        + java.util.Arrays.toString(stride) + " differ in rank");
            }
            TensorRef t = new TensorRef(storage, ((Number) args[1]).longValue(), size, stride);
            tensors.add(t);
            return t;
        }

        private static long[] longs(Object tuple, String what) {
            if (!(tuple instanceof Object[] values)) {
                throw new PickleException("a tensor's " + what + " is not a tuple");
            }
            long[] out = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = ((Number) values[i]).longValue();
            }
            return out;
        }

        /** {@code ('storage', type, key, location, numel[, view_metadata])}: the zip and the legacy forms. */
        @Override
        protected Object persistentLoad(Object pid) {
            if (plain || !(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                    || !(t[1] instanceof StorageType type) || !(t[4] instanceof Number numel)) {
                throw new PickleException("unexpected persistent id " + (pid instanceof Object[] a
                        ? java.util.Arrays.toString(a) : pid));
            }
            if (t.length > 5 && t[5] != null) {
                throw new PickleException("storage views of the oldest legacy format are not supported; load and"
                        + " save the file again with torch >= 1.6");
            }
            if (numel.longValue() < 0) {
                throw new PickleException("a storage of " + numel + " values");
            }
            StorageRef ref = new StorageRef(String.valueOf(t[2]), type, numel.longValue());
            storages.add(ref);
            return ref;
        }
    }
}
