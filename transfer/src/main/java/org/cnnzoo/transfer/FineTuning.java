package org.cnnzoo.transfer;

/**
 * What is trained besides the head, and how.
 *
 * @param regime       head, partial, full or auto (by the images per class)
 * @param freezeUntil  a vertex or block to freeze up to, overriding the regime; null: the regime's choice
 * @param blocks       blocks fine-tuned after the head (partial: at least one)
 * @param epochs       most epochs of fine-tuning
 * @param learningRate fine-tuning's learning rate; null: a tenth of the head's, so pretrained features move little
 * @param augment      augmentation for fine-tuning, full training and extra views (a pipeline spec), or null
 * @param augmentViews extra augmented views of the training images cached as features
 */
public record FineTuning(String regime, String freezeUntil, int blocks, int epochs, Double learningRate, String augment,
                         int augmentViews) {
    public static final FineTuning DEFAULT = new FineTuning("auto", null, 0, 10, null, null, 0);

    /** The learning rate used: as set, else a tenth of the head's. */
    public double rate(HeadTraining head) {
        return learningRate != null ? learningRate : head.learningRate() / 10;
    }

    public FineTuning withRegime(String value) {
        return new FineTuning(value, freezeUntil, blocks, epochs, learningRate, augment, augmentViews);
    }

    public FineTuning withFreezeUntil(String value) {
        return new FineTuning(regime, value, blocks, epochs, learningRate, augment, augmentViews);
    }

    public FineTuning withBlocks(int value) {
        return new FineTuning(regime, freezeUntil, value, epochs, learningRate, augment, augmentViews);
    }

    public FineTuning withEpochs(int value) {
        return new FineTuning(regime, freezeUntil, blocks, value, learningRate, augment, augmentViews);
    }

    public FineTuning withLearningRate(Double value) {
        return new FineTuning(regime, freezeUntil, blocks, epochs, value, augment, augmentViews);
    }

    public FineTuning withAugment(String spec, int views) {
        return new FineTuning(regime, freezeUntil, blocks, epochs, learningRate, spec, views);
    }
}
