package org.cnnzoo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.cnnzoo.zoo.summary.Summarizer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DL4J side of 'cnnzoo bench' for one network, in a JVM of its own so that its peak memory is its own:
 * inference images/s at batch 1 and at the network's batch, training images/s at that batch (forward, backward,
 * SGD-momentum update), inference through the project's {@link InferenceGraph} and training on the network as built,
 * each the best of the repetitions after warm-up, with the other processes' load; peak
 * heap, off-heap (JavaCPP) and RSS; and the machine's SGEMM rate through ND4J.
 *
 * <p>{@code java ... Dl4jNetworkBench MODEL WARMUP REPEATS SECONDS} prints one JSON object.
 */
public final class Dl4jNetworkBench {
    private Dl4jNetworkBench() {
    }

    /** Best images/s and the others' load, as {best, load}. */
    static double[] timed(Runnable step, int images, int warmup, int repeats, double seconds) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double best = 0;
        CpuLoad start = CpuLoad.now();
        for (int r = 0; r < repeats; r++) {
            int n = 0;
            long t0 = System.nanoTime();
            double elapsed;
            do {
                step.run();
                n++;
                elapsed = (System.nanoTime() - t0) / 1e9;
            } while (elapsed < seconds);
            best = Math.max(best, n * images / elapsed);
        }
        return new double[]{best, CpuLoad.othersSince(start)};
    }

    /** ND4J's single-precision matrix product on 1024x1024 matrices, in GFLOP/s (best of several). */
    static double sgemmGflops() {
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double best = 0;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * n * n / s / 1e9);
        }
        return best;
    }

    public static Map<String, Object> measure(String model, int warmup, int repeats, double seconds) throws Exception {
        Architecture<?> arch = Zoo.get(model).create().optSeed(1).optUpdater(new Nesterovs(1e-3, 0.9));
        long macs = Summarizer.of(arch).macs();
        // tuning knobs, tried one at a time (bench/RESULTS.md): workspaces, cache mode, data type, DL4J's helpers
        // (oneDNN, in main), and which inference rewrites run (the project's default: all of them)
        var conf = arch.build();
        String workspaces = System.getenv().getOrDefault("CNNZOO_BENCH_WORKSPACES", "enabled");
        if (workspaces.equals("none")) {
            conf.setTrainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE);
            conf.setInferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE);
        }
        String cache = System.getenv().getOrDefault("CNNZOO_BENCH_CACHE", "none");
        var cacheMode = org.deeplearning4j.nn.conf.CacheMode.valueOf(cache.toUpperCase(java.util.Locale.ROOT));
        conf.setCacheMode(cacheMode);
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                lv.getLayerConf().setCacheMode(cacheMode);
            }
        }
        ComputationGraph trained = new ComputationGraph(conf);
        trained.init();
        DataType dtype = DataType.valueOf(System.getenv().getOrDefault("CNNZOO_BENCH_DTYPE", "float").toUpperCase(java.util.Locale.ROOT));
        ComputationGraph net = dtype == DataType.FLOAT ? trained : trained.convertDataType(dtype);
        String rewrites = System.getenv().getOrDefault("CNNZOO_BENCH_INFERENCE", "fastest");
        InferenceGraph.Options options = switch (rewrites) {
            case "fastest" -> InferenceGraph.Options.fastest();
            case "none" -> InferenceGraph.Options.none();
            case "fold" -> new InferenceGraph.Options(true, false, false);
            case "fuse" -> new InferenceGraph.Options(true, true, false);
            case "nhwc" -> new InferenceGraph.Options(false, false, true);
            default -> throw new IllegalArgumentException("CNNZOO_BENCH_INFERENCE: fastest, none, fold, fuse or nhwc, not " + rewrites);
        };
        InferenceGraph inference = InferenceGraph.of(net, options, java.util.List.of());
        int batch = model.startsWith("lenet5") ? 64 : 16;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("framework", "dl4j 1.0.0-M2.1 (helpers " + ("off".equals(System.getenv("CNNZOO_BENCH_HELPERS")) ? "off" : "on")
                + ", workspaces " + workspaces + ", cache " + cache + ", " + dtype + ", inference " + rewrites
                + (org.cnnzoo.zoo.graph.Vectors.available() ? ", Vector API" : "") + ", "
                + FrameworkComparison.allocator() + ")");
        out.put("inference_rewrites", inference.changes());
        out.put("threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "all"));
        out.put("model", model);
        out.put("batch", batch);
        out.put("macs", macs);
        for (int size : new int[]{1, batch}) {
            String key = size == 1 ? "inference_1" : "inference_batch";
            INDArray x = Nd4j.rand(dtype, size, arch.channels(), arch.height(), arch.width());
            double[] r = timed(() -> inference.output(x), size, warmup, repeats, seconds);
            out.put(key, r[0]);
            out.put("load_" + key, r[1]);
        }
        INDArray x = Nd4j.rand(dtype, batch, arch.channels(), arch.height(), arch.width());
        INDArray y = Nd4j.zeros(dtype, batch, arch.classes());
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % arch.classes(), 1);
        }
        DataSet data = new DataSet(x, y);
        double[] r = timed(() -> net.fit(data), batch, warmup, repeats, seconds);
        out.put("training_batch", r[0]);
        out.put("load_training_batch", r[1]);
        out.put("sgemm_gflops", sgemmGflops());
        double heap = peakHeapMb();
        out.put("peak_heap_mb", heap);
        out.put("peak_rss_mb", peakRssMb());
        // ND4J's arrays live outside the heap and bypass JavaCPP's byte count, so the native side is estimated as
        // the peak resident set less the peak heap in use (it includes the JVM's own native memory)
        out.put("off_heap_mb", Math.max(0, peakRssMb() - heap));
        return out;
    }

    /** The heap's peak use so far, in MB (each pool's peak, summed). */
    static double peakHeapMb() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return heap / 1048576.0;
    }

    /** VmHWM of /proc/self/status: the process's peak resident set. */
    static double peakRssMb() throws Exception {
        return rssMb("VmHWM:");
    }

    /** A size line of /proc/self/status (VmRSS: now, VmHWM: the peak), in MB; NaN where there is none. */
    static double rssMb(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    public static void main(String[] args) throws Exception {
        boolean helpersOff = "off".equals(System.getenv("CNNZOO_BENCH_HELPERS"));
        if (helpersOff) {
            // both kinds of oneDNN use: DL4J's layer helpers here, libnd4j's platform helpers after start-up
            System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "true");
        }
        Backend.init();
        if (helpersOff) {
            Nd4j.getEnvironment().allowHelpers(false);
        }
        Map<String, Object> out = measure(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Double.parseDouble(args[3]));
        System.out.println(new ObjectMapper().writeValueAsString(out));
        System.exit(0);
    }
}
