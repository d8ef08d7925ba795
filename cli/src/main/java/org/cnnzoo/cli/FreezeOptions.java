package org.cnnzoo.cli;

import org.cnnzoo.transfer.FineTuning;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.transfer.TransferPlan;
import picocli.CommandLine.Option;

/**
 * What a transfer run freezes and which views of the training images it caches: the options that decide the
 * feature cache's entries, shared by {@code transfer} and {@code featurize} so that both name the same entries.
 */
final class FreezeOptions {

    @Option(names = "--regime", description = "auto, head, partial or full (default auto: chosen by images per class;"
            + " full for a network without weights). partial and full train the head on cached features first, then"
            + " fine-tune, and keep the fine-tuned model only if it validates better.")
    String regime = "auto";

    @Option(names = "--freeze-until", paramLabel = "VERTEX|BLOCK", description = "Freeze up to this vertex or block (overrides the regime).")
    String freezeUntil;

    @Option(names = "--trainable-blocks", converter = Values.NonNegative.class, paramLabel = "K", description = "Freeze all but the last K blocks before the head (overrides the regime).")
    Integer trainableBlocks;

    @Option(names = "--augment", paramLabel = "SPEC", description = "Augmentation for fine-tuning and extra views, e.g. flip:0.5,crop:0.5-1.0")
    String augment;

    @Option(names = "--augment-views", converter = Values.NonNegative.class, paramLabel = "K", description = "Cache K augmented views of each training image (default 0).")
    int augmentViews;

    /** The fine-tuning these options and the given blocks and epochs describe, for the plan's backbone. */
    FineTuning fineTuning(TransferPlan plan, int finetuneBlocks, int finetuneEpochs) {
        if (freezeUntil != null && trainableBlocks != null) {
            throw new IllegalArgumentException("give --freeze-until or --trainable-blocks, not both");
        }
        String frozen = trainableBlocks == null ? freezeUntil : TransferGraph.freezeForTrainableBlocks(
                plan.backbone().graph(), plan.backbone().stages(), trainableBlocks);
        return new FineTuning(regime, frozen, finetuneBlocks, finetuneEpochs, null, augment, augmentViews);
    }
}
