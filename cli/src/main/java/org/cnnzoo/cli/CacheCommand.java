package org.cnnzoo.cli;

import org.cnnzoo.transfer.FeatureCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code cnnzoo cache ls|rm}: the feature cache's entries and their sizes. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "List or remove cached features.")
final class CacheCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ls|rm", description = "ls lists entries; rm removes entries.")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "For rm: an entry id (or its start).")
    String id;

    @Option(names = "--all", description = "For rm: remove every entry.")
    boolean all;

    @Option(names = "--cache", paramLabel = "DIR", description = "Cache folder (default $CNNZOO_HOME/cache or ~/.cnnzoo/cache).")
    Path dir;

    @Override
    public void run() {
        FeatureCache cache = new FeatureCache(dir != null ? dir : CnnzooHome.cache());
        PrintWriter out = spec.commandLine().getOut();
        try {
            switch (action) {
                case "ls" -> {
                    long total = 0;
                    out.printf("%-24s %10s  %-8s %s%n", "id", "size", "complete", "model / cut / data / view");
                    for (FeatureCache.Listing l : cache.list()) {
                        var k = l.manifest().key();
                        out.printf("%-24s %10s  %-8s %s / %s / %s / %d%n", l.id(), human(l.bytes()), l.manifest().complete(),
                                k.model(), k.cut(), k.data().substring(0, 12), k.view());
                        total += l.bytes();
                    }
                    out.printf("total %s in %s%n", human(total), cache.root());
                }
                case "rm" -> {
                    if (!all && (id == null || id.isBlank())) {
                        throw new IllegalArgumentException("cache rm needs an ID (see 'cnnzoo cache ls') or --all");
                    }
                    long freed = cache.remove(all ? "" : id);
                    out.printf("freed %s%n", human(freed));
                }
                default -> throw new IllegalArgumentException("cache takes ls or rm, not '" + action + "'");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static String human(long bytes) {
        return bytes < 1 << 20 ? String.format("%.1f KB", bytes / 1024.0) : String.format("%.1f MB", bytes / 1048576.0);
    }
}
