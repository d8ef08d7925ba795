package org.cnnzoo.bench;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.transfer.Backbone;
import org.cnnzoo.transfer.FineTuning;
import org.cnnzoo.transfer.HeadTraining;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.RunSettings;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Splits;
import org.cnnzoo.demo.Demo;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;

/**
 * Which head the demo should use: the demo's backbone (ResNet-18, 28x28 grey, trained on the five source
 * classes with the demo's seed and epochs), then heads on its cached features for the target classes with 10 and
 * 50 labels per class: linear or MLP, without and with four augmented views. Test accuracy on the 500 target test
 * images. Argument: backbone epochs (default 3, the demo's).
 */
public final class DemoHeads {
    private DemoHeads() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long seed = 42;
        ImageSource train = EmbeddedFashionMnist.load(Part.TRAIN);
        ImageSource test = EmbeddedFashionMnist.load(Part.TEST);
        InputShape in = Demo.INPUT;
        Nd4j.getRandom().setSeed(seed);
        ComputationGraph backbone = ResNet.resnet18().optInput(in.height(), in.width(), in.channels()).optClasses(Demo.SOURCE.size())
                .optSeed(seed).optUpdater(new Adam(1e-3)).init();
        Trainer.fit("backbone", backbone, Demo.iterator(Splits.classes(train, Demo.SOURCE), Demo.AUGMENT, true, seed),
                null, epochs, epochs, Progress.NONE);
        System.out.printf("backbone: %d epochs on %s%n%n%-10s %-16s %9s%n", epochs, Demo.SOURCE, "labels", "head", "accuracy");
        ImageSource targetTest = Splits.classes(test, Demo.TARGET);
        for (int labels : new int[]{10, 50}) {
            ImageSource few = Splits.perClass(Splits.classes(train, Demo.TARGET), labels, seed);
            for (String variant : new String[]{"linear", "linear+4views", "mlp:128:0.5", "mlp:128:0.5+4views"}) {
                TransferPlan o = new TransferPlan(Backbone.of(backbone, "demo-backbone"),
                        new InputSpec(in, Normalization.UNIT), new DataPlan.Parts(few, null, targetTest, "test part"),
                        HeadTraining.DEFAULT.withHead(Head.parse(variant.replace("+4views", ""))).withEpochs(60),
                        FineTuning.DEFAULT.withRegime("head").withAugment(Demo.AUGMENT, variant.endsWith("+4views") ? 4 : 0),
                        RunSettings.in(Files.createTempDirectory("cnnzoo-heads")).withSeed(seed).withBatchSize(25));
                System.out.printf("%-10s %-18s %9.3f%n", labels + "/class", variant, TransferJob.run(o).metrics().accuracy());
            }
        }
    }
}
