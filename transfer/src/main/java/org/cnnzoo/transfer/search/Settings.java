package org.cnnzoo.transfer.search;

/**
 * Everything that decides which candidates a search draws and how they score. A search can only be resumed with
 * the same settings; the number of candidates and the time limit may change.
 */
public record Settings(String what, String space, String strategy, int gridPoints, String metric, long seed,
                       String base, String weights, String input, String normalization, String train,
                       String validation, String head, int batchSize) {

    /** The names of the fields that differ from {@code other}, with both values. */
    String differences(Settings other) {
        StringBuilder s = new StringBuilder();
        var fields = Settings.class.getRecordComponents();
        for (var f : fields) {
            try {
                Object a = f.getAccessor().invoke(this);
                Object b = f.getAccessor().invoke(other);
                if (!java.util.Objects.equals(a, b)) {
                    s.append(s.length() == 0 ? "" : "; ").append(f.getName()).append(": ").append(b).append(" -> ").append(a);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return s.toString();
    }
}
