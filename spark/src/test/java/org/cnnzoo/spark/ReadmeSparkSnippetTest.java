package org.cnnzoo.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java that uses the spark module compiles against it (the command line's snippet test leaves these
 * blocks out: its class path has no Spark).
 */
class ReadmeSparkSnippetTest {

    @Test
    void theReadmesSparkJavaCompiles(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<Path> sources = new ArrayList<>();
        while (blocks.find()) {
            if (!blocks.group(1).contains("org.cnnzoo.spark")) {
                continue;
            }
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String line : blocks.group(1).split("\n")) {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            String name = "ReadmeSparkSnippet" + sources.size();
            Path file = dir.resolve(name + ".java");
            Files.writeString(file, imports + "\nclass " + name + " {\n  void run() throws Exception {\n" + body + "  }\n}\n");
            sources.add(file);
        }
        assertFalse(sources.isEmpty(), "the README's Spark example was not found");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            boolean ok = compiler.getTask(null, files, diagnostics, List.of("-classpath", classPath, "-d", dir.toString(),
                    "-proc:none"), null, files.getJavaFileObjectsFromPaths(sources)).call();
            StringBuilder errors = new StringBuilder();
            diagnostics.getDiagnostics().forEach(d -> errors.append(d).append('\n'));
            assertTrue(ok, "the README's Spark Java does not compile:\n" + errors);
        }
    }
}
