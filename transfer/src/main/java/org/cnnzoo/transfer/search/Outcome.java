package org.cnnzoo.transfer.search;

import java.util.Map;

/**
 * What one candidate did: its values, its score on the validation data (accuracy or loss, as the search's metric
 * says) with both measures, how many epochs it trained and which it kept, its time, and for a failed candidate the
 * error.
 */
public record Outcome(int index, Map<String, Object> values, String status, Double score, Double validationAccuracy,
                      Double validationLoss, Integer epochs, Integer keptEpoch, double seconds, String error) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public boolean ok() {
        return OK.equals(status);
    }
}
