package org.cnnzoo.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on this machine, for tests and the benchmark: a master and workers started from
 * spark-core's own classes, each a JVM of its own bound to 127.0.0.1, as {@code start-master.sh} and
 * {@code start-worker.sh} would start them. Workers launch executor JVMs as on any cluster, with this JVM's class
 * path ({@link #conf}); killing a worker's process takes its executor down too.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final String classPath;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final String url;

    private StandaloneCluster(Path dir, int workerCount, int cores) throws IOException, InterruptedException {
        this.dir = dir;
        this.classPath = classPath();
        // the worker builds executor command lines from SPARK_HOME/jars, which must exist in a release layout
        // (marked by a RELEASE file); the classes come from spark.executor.extraClassPath
        Files.createDirectories(dir.resolve("spark-home/jars"));
        Files.writeString(dir.resolve("spark-home/RELEASE"), "Spark from spark-core's classes, for tests\n");
        int port = freePort();
        url = "spark://127.0.0.1:" + port;
        master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        waitForPort(port, "the master");
        for (int i = 0; i < workerCount; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            workers.add(start("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", String.valueOf(cores), "--memory", "3g", "--work-dir", work.toString(),
                    "--webui-port", String.valueOf(freePort()), url));
        }
    }

    /** Starts a master and {@code workers} workers of {@code cores} cores each, with logs and work folders in dir. */
    public static StandaloneCluster start(Path dir, int workers, int cores) throws IOException, InterruptedException {
        return new StandaloneCluster(dir, workers, cores);
    }

    public String url() {
        return url;
    }

    /** Settings for an application on this cluster: executors get this JVM's class path. */
    public org.apache.spark.SparkConf conf() {
        return SparkEngine.conf(url).set("spark.executor.extraClassPath", classPath()).set("spark.executor.memory", "1g");
    }

    /** What executors need on their class path: this JVM's own (under Maven's test runner, the tests'). */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return SparkEngine.absolute(surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path"));
    }

    /** Kills a worker's JVM at once (SIGKILL), as a machine that dies. */
    public void kill(int worker) {
        Process p = workers.get(worker);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(SparkEngine.JAVA_OPTIONS);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");       // else looked for in a source build's folders
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    /** The last lines of a process's log, for a failing test's message. */
    public String log(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void waitForPort(int port, String what) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (!master.isAlive()) {
                    throw new IOException(what + " died:\n" + log("master"));
                }
                Thread.sleep(200);
            }
        }
        throw new IOException(what + " did not start in 60 s:\n" + log("master"));
    }

    @Override
    public void close() {
        for (Process p : workers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        master.destroyForcibly();
        for (Process p : workers) {
            waitFor(p);
        }
        waitFor(master);
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
