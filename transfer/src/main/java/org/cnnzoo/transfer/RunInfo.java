package org.cnnzoo.transfer;

import org.cnnzoo.datasets.Normalization;

import java.util.List;

/**
 * Everything needed to use a trained model again and to know where it came from: the class names and input
 * preprocessing, and the provenance (base model, its weights' hash, the data's fingerprint, the command line).
 */
public record RunInfo(String base, String weights, List<String> classes, int height, int width, int channels,
                      Normalization normalization, String head, String regime, String regimeReason,
                      String frozenUntil, String finetuned, String data, String augmentation, String command,
                      String created) {
}
