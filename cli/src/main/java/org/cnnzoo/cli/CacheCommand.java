package org.cnnzoo.cli;

import org.cnnzoo.common.Home;
import org.cnnzoo.transfer.FeatureCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cnnzoo cache ls|rm}: the feature cache's entries and their sizes. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "List or remove cached features.")
final class CacheCommand implements Callable<Integer> {

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
    public Integer call() throws Exception {
        FeatureCache cache = new FeatureCache(dir != null ? dir : Home.cache());
        PrintWriter out = spec.commandLine().getOut();
        switch (action) {
            case "ls" -> {
                long total = 0;
                // every part of the key, shortened, so that no two rows look alike
                out.printf("%-24s %10s  %-8s %s%n", "id", "size", "complete",
                        "model / weights / cut / input / preprocessing / data / augmentation / view / batch");
                for (FeatureCache.Listing l : cache.list()) {
                    var k = l.manifest().key();
                    out.printf("%-24s %10s  %-8s %s / %s / %s / %s / %s / %s / %s / %d / %d%n", l.id(), human(l.bytes()),
                            l.manifest().complete(), k.model(), shorten(k.weights()), k.cut(), k.input(),
                            k.preprocessing(), shorten(k.data()), k.augmentation().isEmpty() ? "none" : k.augmentation(),
                            k.view(), k.batchSize());
                    total += l.bytes();
                }
                out.printf("total %s in %s%n", human(total), cache.root());
            }
            case "rm" -> {
                if (!all && (id == null || id.isBlank())) {
                    throw new IllegalArgumentException("cache rm needs an ID (see 'cnnzoo cache ls') or --all");
                }
                if (!all && cache.list().stream().noneMatch(l -> l.id().startsWith(id))) {
                    throw new IllegalArgumentException("no cache entry's id starts with '" + id + "' in "
                            + cache.root() + " (see 'cnnzoo cache ls')");
                }
                long freed = cache.remove(all ? "" : id);
                out.printf("freed %s%n", human(freed));
            }
            default -> throw new IllegalArgumentException("cache takes ls or rm, not '" + action + "'");
        }
        return 0;
    }
    private static String shorten(String hash) {
        return hash == null ? "-" : hash.length() > 12 ? hash.substring(0, 12) : hash;
    }


    static String human(long bytes) {
        return bytes < 1 << 20 ? String.format("%.1f KB", bytes / 1024.0) : String.format("%.1f MB", bytes / 1048576.0);
    }
}
