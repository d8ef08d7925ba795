package org.cnnzoo.transfer;

import org.cnnzoo.datasets.Normalization;

import org.cnnzoo.zoo.build.Stages;

import java.util.List;

/**
 * Everything needed to use a trained model again and to know where it came from: the class names and input
 * preprocessing, and the provenance (base model, its weights' hash, the data's fingerprint, the command line).
 *
 * @param resize        the shorter side an image is scaled to before the centre crop for the input (256 for
 *                      torchvision's 224 inputs); 0: straight to the input size, as the project's iterators train
 * @param interpolation how images are resized ({@code bilinear}, {@code bicubic}); null: as the project trains
 * @param stages        the model's stages as its base network's builder made them (null: read from names)
 */
public record RunInfo(String base, String weights, List<String> classes, int height, int width, int channels,
                      Normalization normalization, String head, String regime, String regimeReason,
                      String frozenUntil, String finetuned, String data, String augmentation, String command,
                      String created, int resize, String interpolation, Stages stages) {

    /** A run trained by the project: images are scaled straight to the input. */
    public RunInfo(String base, String weights, List<String> classes, int height, int width, int channels,
                   Normalization normalization, String head, String regime, String regimeReason, String frozenUntil,
                   String finetuned, String data, String augmentation, String command, String created) {
        this(base, weights, classes, height, width, channels, normalization, head, regime, regimeReason, frozenUntil,
                finetuned, data, augmentation, command, created, 0, null, null);
    }

    /** The same record with the stages of the model it describes. */
    public RunInfo withStages(Stages modelStages) {
        return new RunInfo(base, weights, classes, height, width, channels, normalization, head, regime, regimeReason,
                frozenUntil, finetuned, data, augmentation, command, created, resize, interpolation, modelStages);
    }
}
