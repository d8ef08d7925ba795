package org.cnnzoo.cli;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import org.cnnzoo.zoo.weights.WeightsEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cnnzoo models}: every network with its size and cost at its default input. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List every network: parameters, multiply-adds at its default input, the paper.")
final class ModelsCommand implements Callable<Integer> {

    /** One row of the listing. */
    record Model(String name, ModelSummary.Input input, int classes, long params, long paramsTotal, long macs,
                 String paper, List<String> weights) {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Model> models = new ArrayList<>();
        for (Zoo.Entry entry : Zoo.all()) {
            Architecture<?> arch = entry.create();
            ModelSummary s = Summarizer.of(arch);
            models.add(new Model(entry.name(), s.input(), arch.classes(), s.params().trainable(), s.params().total(),
                    s.macs(), entry.paper(), entry.weights().stream().map(WeightsEntry::id).toList()));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(models));
            return 0;
        }
        out.printf("%-16s %13s %10s %-11s %-36s %s%n", "network", "parameters", "GMACs", "input", "pretrained weights",
                "paper");
        for (Model m : models) {
            String weights = m.weights().isEmpty() ? "-" : m.weights().get(0)
                    + (m.weights().size() > 1 ? " +" + (m.weights().size() - 1) : "");
            out.printf("%-16s %,13d %10.4f %-11s %-36s %s%n", m.name(), m.params(), m.macs() / 1e9,
                    m.input().height() + "x" + m.input().width() + "x" + m.input().channels(), weights, m.paper());
        }
        out.println();
        out.printf("%-18s %13s %10s %-11s %s%n", "detector / face", "parameters", "GMACs", "input", "what");
        for (org.cnnzoo.detection.models.Detectors.Entry d : org.cnnzoo.detection.models.Detectors.all()) {
            ModelSummary s = Summarizer.of(d.create());
            out.printf("%-18s %,13d %10.4f %-11s %s%n", d.name(), s.params().trainable(), s.macs() / 1e9,
                    s.input().height() + "x" + s.input().width() + "x" + s.input().channels(), d.what());
        }
        out.println();
        out.println("Parameters are trainable ones at the default classes (1000; 10 for LeNet-5); GMACs are");
        out.println("billions of multiply-adds per image. Pretrained weights: the default first, '+N' more;");
        out.println("'cnnzoo weights list --model NAME' shows them all. Details: cnnzoo summary NAME");
        return 0;
    }
}
