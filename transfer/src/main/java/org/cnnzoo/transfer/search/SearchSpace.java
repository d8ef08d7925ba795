package org.cnnzoo.transfer.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The values a search may try, one {@link Dimension} per parameter of its {@link SearchKind}, written as data.
 *
 * <p>As a spec string, parameters are separated by commas: {@code name=VALUE} fixes a value,
 * {@code name=A|B|C} is a choice, {@code name=MIN..MAX} a uniform range and {@code name=MIN..MAX:log} a range
 * uniform in the logarithm, e.g. {@code lr=1e-4..1e-1:log,hidden=0|256,updater=adam}. As a JSON file, an object
 * with the same names whose values are a number or word (fixed), an array (choice), a spec string, or
 * {@code {"min": .., "max": .., "log": true}}. Parameters not given keep the kind's defaults.
 */
public record SearchSpace(SearchKind kind, Map<String, Dimension> dimensions) {

    public SearchSpace {
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /** The kind's default space. */
    public static SearchSpace defaults(SearchKind kind) {
        return new SearchSpace(kind, read(kind, kind.defaults(), new LinkedHashMap<>(), "default space"));
    }

    /**
     * A spec string or the path of a JSON file (a value ending in {@code .json}), over the kind's defaults; null or
     * blank gives the defaults.
     *
     * @throws IllegalArgumentException naming the parameter (and the file) and what is wrong
     */
    public static SearchSpace parse(SearchKind kind, String specOrFile) throws IOException {
        SearchSpace base = defaults(kind);
        if (specOrFile == null || specOrFile.isBlank()) {
            return base;
        }
        Map<String, Dimension> dims = new LinkedHashMap<>(base.dimensions);
        if (specOrFile.trim().endsWith(".json")) {
            Path file = Path.of(specOrFile.trim());
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("search space file " + file + " does not exist");
            }
            try {
                readJson(kind, new ObjectMapper().readTree(file.toFile()), dims);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("search space file " + file + " is not valid JSON: "
                        + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("search space file " + file + ": " + e.getMessage(), e);
            }
            return new SearchSpace(kind, dims);
        }
        return new SearchSpace(kind, read(kind, specOrFile, dims, "search space"));
    }

    private static Map<String, Dimension> read(SearchKind kind, String spec, Map<String, Dimension> into, String what) {
        for (String raw : spec.split(",")) {
            String token = raw.trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException(what + " '" + spec + "' has an empty entry (two commas in a row?)");
            }
            int eq = token.indexOf('=');
            if (eq <= 0 || eq == token.length() - 1) {
                throw new IllegalArgumentException(what + ": '" + token + "' is not NAME=VALUE (e.g. lr=1e-4..1e-1:log,"
                        + " hidden=0|256, updater=adam)");
            }
            String name = token.substring(0, eq).trim();
            Parameter p = kind.parameter(name);
            into.put(name, dimension(p, token.substring(eq + 1).trim()));
        }
        return into;
    }

    private static void readJson(SearchKind kind, JsonNode root, Map<String, Dimension> into) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("the space must be a JSON object of parameter names, e.g."
                    + " {\"lr\": \"1e-4..1e-1:log\", \"hidden\": [0, 256]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Parameter p = kind.parameter(e.getKey());
            JsonNode v = e.getValue();
            if (v.isArray()) {
                List<String> values = new ArrayList<>();
                v.forEach(x -> values.add(x.asText()));
                into.put(p.name(), choice(p, values));
            } else if (v.isObject()) {
                for (Iterator<String> keys = v.fieldNames(); keys.hasNext(); ) {
                    String k = keys.next();
                    if (!List.of("min", "max", "log").contains(k)) {
                        throw new IllegalArgumentException(p.name() + ": unknown key '" + k + "' (a range has min, max"
                                + " and optionally log)");
                    }
                }
                if (!v.has("min") || !v.has("max")) {
                    throw new IllegalArgumentException(p.name() + ": a range needs both min and max");
                }
                into.put(p.name(), range(p, v.get("min").asText(), v.get("max").asText(), v.path("log").asBoolean(false)));
            } else if (v.isValueNode() && !v.isNull()) {
                into.put(p.name(), dimension(p, v.asText()));
            } else {
                throw new IllegalArgumentException(p.name() + ": expected a value, an array or {min, max, log}");
            }
        }
    }

    static Dimension dimension(Parameter p, String text) {
        if (text.contains("|")) {
            return choice(p, List.of(text.split("\\|", -1)));
        }
        int dots = text.indexOf("..");
        if (dots >= 0) {
            String rest = text.substring(dots + 2);
            boolean log = false;
            if (rest.endsWith(":log")) {
                log = true;
                rest = rest.substring(0, rest.length() - 4);
            } else if (rest.contains(":")) {
                throw new IllegalArgumentException(p.name() + ": '" + text + "': the only range option is ':log'");
            }
            return range(p, text.substring(0, dots), rest, log);
        }
        return new Dimension.Fixed(p.check(text.trim()));
    }

    private static Dimension choice(Parameter p, List<String> texts) {
        List<Object> values = new ArrayList<>();
        for (String t : texts) {
            if (t.isBlank()) {
                throw new IllegalArgumentException(p.name() + ": empty value in the choice '" + String.join("|", texts) + "'");
            }
            Object v = p.check(t.trim());
            if (values.contains(v)) {
                throw new IllegalArgumentException(p.name() + ": " + v + " appears twice in the choice");
            }
            values.add(v);
        }
        return values.size() == 1 ? new Dimension.Fixed(values.get(0)) : new Dimension.Choice(List.copyOf(values));
    }

    private static Dimension range(Parameter p, String minText, String maxText, boolean log) {
        if (p.type() == Parameter.Type.WORD) {
            throw new IllegalArgumentException(p.name() + " is one of " + String.join("|", p.words()) + "; it has no range");
        }
        double min = ((Number) p.check(minText.trim())).doubleValue();
        double max = ((Number) p.check(maxText.trim())).doubleValue();
        if (!(min < max)) {
            throw new IllegalArgumentException(p.name() + ": impossible range " + minText.trim() + ".." + maxText.trim()
                    + " (the minimum must be below the maximum)");
        }
        if (log && p.type() == Parameter.Type.INTEGER) {
            throw new IllegalArgumentException(p.name() + ": ':log' is for real-valued parameters; give a choice such"
                    + " as 64|128|256|512 instead");
        }
        if (log && min <= 0) {
            throw new IllegalArgumentException(p.name() + ": a log range needs a minimum above 0, got " + minText.trim());
        }
        return new Dimension.Range(min, max, log, p.type() == Parameter.Type.INTEGER);
    }

    /** The Arbiter space whose candidates are maps from parameter name to value. */
    public NamedSpace toArbiter() {
        return new NamedSpace(dimensions);
    }

    /** Number of grid points, {@code points} per continuous range (integer ranges: at most their size). */
    public long gridSize(int points) {
        long n = 1;
        for (Dimension d : dimensions.values()) {
            n *= d.gridPoints(points);
        }
        return n;
    }

    /** The space as one spec string (every parameter, defaults included). */
    public String spec() {
        return dimensions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().spec())
                .collect(Collectors.joining(","));
    }

    /** The parameters that differ between candidates. */
    public List<String> varying() {
        return dimensions.entrySet().stream().filter(e -> e.getValue().varies()).map(Map.Entry::getKey).toList();
    }
}
