package org.cnnzoo.bench;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.Zoo;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a training step's memory goes: one network trained 3 steps at batch 16 (nothing else in the JVM), printing
 * the process's resident set after each step and then the size of each of DL4J's workspaces.
 * {@code bench/run.sh TrainingMemory MODEL [dl4j-activations]}; the second argument swaps the zoo's in-place
 * activations back to DL4J's activation layer, to measure what they save.
 */
public final class TrainingMemory {
    private TrainingMemory() {
    }

    public static void main(String[] args) throws Exception {
        Backend.init();
        Architecture<?> arch = Zoo.get(args[0]).create().optSeed(1);
        ComputationGraphConfiguration conf = arch.build();
        if (args.length > 1 && args[1].equals("dl4j-activations")) {
            conf = ComputationGraphConfiguration.fromJson(conf.toJson().replace(
                    org.cnnzoo.zoo.graph.InPlaceActivationLayer.class.getName(),
                    org.deeplearning4j.nn.conf.layers.ActivationLayer.class.getName()));
        }
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        int batch = 16;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, arch.channels(), arch.height(), arch.width());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, arch.classes());
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % arch.classes(), 1);
        }
        DataSet data = new DataSet(x, y);
        for (int step = 0; step < 3; step++) {
            net.fit(data);
            System.out.printf("step %d: resident %.0f MB, peak %.0f MB%n", step, status("VmRSS:"), status("VmHWM:"));
        }
        for (var ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            System.out.printf("workspace %s: %.0f MB%n", ws.getId(), ws.getCurrentSize() / 1048576.0);
        }
        System.exit(0);
    }

    /** A size line of /proc/self/status, in MB. */
    private static double status(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no " + key + " in /proc/self/status");
    }
}
