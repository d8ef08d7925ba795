package org.cnnzoo.bench;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;

/**
 * Where DL4J spends its time in one network: ND4J's op profiler over a few inference passes or training steps,
 * after warm-up; inference through {@link InferenceGraph}, as the project runs it.
 * {@code bench/run.sh OpProfile MODEL inference|training [BATCH]} prints the profiler's dashboard (ops by total
 * time, and the time outside ops).
 */
public final class OpProfile {
    private OpProfile() {
    }

    public static void main(String[] args) {
        Backend.init();
        String model = args[0];
        boolean training = args.length > 1 && args[1].equals("training");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Architecture<?> arch = Zoo.get(model).create().optSeed(1);
        ComputationGraph net = arch.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, arch.channels(), arch.height(), arch.width());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, arch.classes());
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % arch.classes(), 1);
        }
        // inference as the project runs it: through the rewritten graph
        InferenceGraph fast = training ? null : InferenceGraph.of(net);
        Runnable step = training ? () -> net.fit(new DataSet(x, y)) : () -> fast.output(x);
        for (int i = 0; i < 2; i++) {
            step.run();
        }
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.ALL);
        OpProfiler.getInstance().reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            step.run();
        }
        System.out.printf("%s %s batch %d: %.2f s per pass%n", model, training ? "training" : "inference", batch,
                (System.nanoTime() - t0) / 3e9);
        OpProfiler.getInstance().printOutDashboard();
        System.exit(0);
    }
}
