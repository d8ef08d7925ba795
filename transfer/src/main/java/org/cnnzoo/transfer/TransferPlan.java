package org.cnnzoo.transfer;

import org.cnnzoo.datasets.DataPlan;

/**
 * One transfer-learning job as immutable values: the backbone, its input, the data's parts, how the head is
 * trained, what is fine-tuned, and where it runs. Change a part with the {@code with…} copies.
 */
public record TransferPlan(Backbone backbone, InputSpec input, DataPlan.Parts data, HeadTraining head,
                           FineTuning finetune, RunSettings run) {

    /** A plan with the default head training and fine-tuning. */
    public static TransferPlan of(Backbone backbone, InputSpec input, DataPlan.Parts data, RunSettings run) {
        return new TransferPlan(backbone, input, data, HeadTraining.DEFAULT, FineTuning.DEFAULT, run);
    }

    public TransferPlan withBackbone(Backbone value) {
        return new TransferPlan(value, input, data, head, finetune, run);
    }

    public TransferPlan withInput(InputSpec value) {
        return new TransferPlan(backbone, value, data, head, finetune, run);
    }

    public TransferPlan withData(DataPlan.Parts value) {
        return new TransferPlan(backbone, input, value, head, finetune, run);
    }

    public TransferPlan withHead(HeadTraining value) {
        return new TransferPlan(backbone, input, data, value, finetune, run);
    }

    public TransferPlan withFinetune(FineTuning value) {
        return new TransferPlan(backbone, input, data, head, value, run);
    }

    public TransferPlan withRun(RunSettings value) {
        return new TransferPlan(backbone, input, data, head, finetune, value);
    }
}
