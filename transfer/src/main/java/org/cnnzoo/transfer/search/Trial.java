package org.cnnzoo.transfer.search;

import java.util.Map;

/** One candidate's values, read by name and type. */
record Trial(int index, Map<String, Object> values) {

    /** The data parameters Arbiter's data provider gets: the values and the candidate's number (its seed). */
    Map<String, Object> parameters() {
        Map<String, Object> p = new java.util.HashMap<>(values);
        p.put("index", index);
        return p;
    }

    double real(String name) {
        return ((Number) get(name)).doubleValue();
    }

    int integer(String name) {
        return ((Number) get(name)).intValue();
    }

    String word(String name) {
        return (String) get(name);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("candidate " + index + " has no value for " + name);
        }
        return v;
    }
}
