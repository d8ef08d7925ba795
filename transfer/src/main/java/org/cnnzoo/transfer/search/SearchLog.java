package org.cnnzoo.transfer.search;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.common.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A search's record on disk, {@code search.json}: its settings and every finished candidate, rewritten (to a
 * temporary file, then moved) after each one, so a killed search loses at most the candidate it was training.
 */
final class SearchLog {
    static final String FILE = "search.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The file's content. */
    record Content(Settings settings, List<Outcome> candidates) {
    }

    private final Path file;
    private final Settings settings;
    private final TreeMap<Integer, Outcome> outcomes = new TreeMap<>();

    private SearchLog(Path file, Settings settings) {
        this.file = file;
        this.settings = settings;
    }

    /**
     * A new log in {@code dir}, or with {@code resume} the one already there.
     *
     * @throws IllegalArgumentException when a search is there but not resumed, when there is none to resume, or when
     *                                  the settings differ from those recorded (naming each difference)
     */
    static SearchLog open(Path dir, Settings settings, boolean resume) throws IOException {
        Path file = dir.resolve(FILE);
        SearchLog log = new SearchLog(file, settings);
        boolean exists = Files.isRegularFile(file);
        if (exists && !resume) {
            throw new IllegalArgumentException(dir + " already holds a search (" + FILE + "); add --resume to continue it,"
                    + " or choose another --out");
        }
        if (!exists && resume) {
            throw new IllegalArgumentException("nothing to resume: " + file + " does not exist");
        }
        if (exists) {
            Content old;
            try {
                old = JSON.readValue(file.toFile(), Content.class);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " cannot be read (" + e.getMessage() + "); remove it to start over");
            }
            if (!old.settings().equals(settings)) {
                throw new IllegalArgumentException("cannot resume the search in " + dir + ": its settings differ ("
                        + settings.differences(old.settings()) + ")");
            }
            old.candidates().forEach(o -> log.outcomes.put(o.index(), o));
        } else {
            Files.createDirectories(dir);
            log.save();
        }
        return log;
    }

    Optional<Outcome> recorded(int index) {
        return Optional.ofNullable(outcomes.get(index));
    }

    void add(Outcome outcome) throws IOException {
        outcomes.put(outcome.index(), outcome);
        save();
    }

    List<Outcome> outcomes() {
        return new ArrayList<>(outcomes.values());
    }

    /** The best finished candidate by {@code ranking} (best first), if any. */
    Optional<Outcome> best(Comparator<Outcome> ranking) {
        return outcomes.values().stream().filter(Outcome::ok).min(ranking);
    }

    private void save() throws IOException {
        Content c = new Content(settings, List.copyOf(outcomes.values()));
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), c));
    }

    /** Whether recorded values equal newly drawn ones (numbers compared as doubles: JSON keeps no int/double). */
    static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (var e : a.entrySet()) {
            Object x = e.getValue();
            Object y = b.get(e.getKey());
            boolean same = x instanceof Number nx && y instanceof Number ny ? nx.doubleValue() == ny.doubleValue()
                    : String.valueOf(x).equals(String.valueOf(y));
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
