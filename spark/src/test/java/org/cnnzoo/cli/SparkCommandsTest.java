package org.cnnzoo.cli;

import org.cnnzoo.datasets.Part;
import org.cnnzoo.spark.SparkEngine;
import org.cnnzoo.spark.SparkFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands with {@code --spark local[2]}: the same cache, run and reports as without. */
class SparkCommandsTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path test;

    @BeforeAll
    static void folders() throws IOException {
        data = SparkFixtures.folder(dir.resolve("data"), Part.TRAIN, 3, 0, 80);
        test = SparkFixtures.folder(dir.resolve("test"), Part.TEST, 3, 0, 30);
    }

    static String[] job(Path cache, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--model", "resnet18", "--input", "32,32,1", "--regime",
                "head", "--normalization", "unit", "--data", data.toString(), "--cache", cache.toString(), "--batch", "16"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void featurizeOnSparkThenTransferReadsTheSameCacheAndPredictMeasuresAlike() throws IOException {
        Path cache = dir.resolve("cache");
        MainTest.Result featurized = MainTest.run(concat("featurize", job(cache, "--spark", "local[2]")));
        assertEquals(0, featurized.code(), featurized.err());
        assertTrue(featurized.err().contains("running on Spark local[2]"), featurized.err());
        assertTrue(featurized.out().contains("features at avgpool: 12 training shard(s), 2 validation shard(s)"),
                featurized.out());
        Map<Path, FileTime> before = files(cache);

        Path run = dir.resolve("run");
        MainTest.Result transfer = MainTest.run(concat("transfer", job(cache, "--epochs", "20", "--lr", "1e-2", "--out", run.toString())));
        assertEquals(0, transfer.code(), transfer.err());
        assertEquals(before, files(cache), "transfer found every shard featurize wrote and computed none");

        Path runOnSpark = dir.resolve("run-spark");
        MainTest.Result transferOnSpark = MainTest.run(concat("transfer", job(cache, "--epochs", "20", "--lr", "1e-2", "--out",
                runOnSpark.toString(), "--spark", "local[2]")));
        assertEquals(0, transferOnSpark.code(), transferOnSpark.err());
        assertTrue(Files.isRegularFile(runOnSpark.resolve("model.zip")) && Files.isRegularFile(runOnSpark.resolve("metrics.json")));

        MainTest.Result here = MainTest.run("predict", "--model", run.toString(), "--data", test.toString(), "--out", dir.resolve("eval-here").toString());
        MainTest.Result there = MainTest.run("predict", "--model", run.toString(), "--data", test.toString(), "--out",
                dir.resolve("eval-spark").toString(), "--spark", "local[2]");
        assertEquals(0, here.code(), here.err());
        assertEquals(0, there.code(), there.err());
        assertTrue(here.out().contains("90 images, accuracy"), here.out());
        assertEquals(here.out().replace(dir.resolve("eval-here").toString(), "OUT"),
                there.out().replace(dir.resolve("eval-spark").toString(), "OUT"));
        assertEquals(Files.readString(dir.resolve("eval-here/metrics.json")), Files.readString(dir.resolve("eval-spark/metrics.json")));
        assertTrue(Files.size(dir.resolve("eval-spark/confusion.png")) > 0);

        MainTest.Result unknown = MainTest.run("predict", "--model", run.toString(), "--data", test.toString(), "--spark", "local[2]",
                "--spark-training", "gossip");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--spark-training is averaging or sharing"), unknown.err());

        MainTest.Result refused = MainTest.run("predict", "--model", run.toString(), "--data", test.toString(), "--out",
                dir.resolve("eval-spark").toString(), "--spark", "local[2]");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("--overwrite"), refused.err());
    }

    static Map<Path, FileTime> files(Path root) throws IOException {
        Map<Path, FileTime> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p), Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    /** The launcher and the build give Spark's driver the options executors get from {@link SparkEngine}. */
    @Test
    void theLauncherAndTheBuildPassSparksJvmOptions() throws IOException {
        String launcher = Files.readString(Path.of("..", "cnnzoo"));
        Matcher loop = Pattern.compile("for package in ([^;]*); do").matcher(launcher);
        assertTrue(loop.find(), "the launcher lists the packages to open");
        List<String> fromLauncher = Stream.of(loop.group(1).replace("\\\n", " ").trim().split("\\s+"))
                .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();
        assertEquals(SparkEngine.JAVA_OPTIONS, fromLauncher);
        Matcher pom = Pattern.compile("<spark.jvm.options>(.*?)</spark.jvm.options>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(pom.find());
        assertEquals(SparkEngine.JAVA_OPTIONS, List.of(pom.group(1).trim().split("\\s+")));
    }
}
