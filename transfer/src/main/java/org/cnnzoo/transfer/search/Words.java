package org.cnnzoo.transfer.search;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reads an enum constant from a command-line word. */
final class Words {
    private Words() {
    }

    /** @throws IllegalArgumentException saying which words {@code option} takes */
    static <E extends Enum<E>> E parse(E[] values, String text, String option) {
        for (E v : values) {
            if (v.name().equalsIgnoreCase(text)) {
                return v;
            }
        }
        List<String> words = Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
        throw new IllegalArgumentException(option + " is " + String.join(", ", words.subList(0, words.size() - 1))
                + " or " + words.get(words.size() - 1) + ", not '" + text + "'");
    }
}
