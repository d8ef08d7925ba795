package org.cnnzoo.cli;

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

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Java block of the README compiles against the modules as built: its import lines become the file's
 * imports and the rest a method body, so a renamed class or package breaks this test, not a reader's first try.
 */
public class ReadmeSnippetsTest {

    @Test
    void theReadmesJavaCompiles(@TempDir Path dir) throws Exception {
        // blocks that use the spark module are compiled by its own test: this class path has no Spark
        assertCompiles(block -> !block.contains("org.cnnzoo.spark"), System.getProperty("java.class.path"), dir, 2);
    }

    /**
     * Compiles the README's Java blocks that {@code chosen} accepts against {@code classPath}, failing with the
     * compiler's messages, or when fewer than {@code atLeast} blocks were found.
     */
    public static void assertCompiles(java.util.function.Predicate<String> chosen, String classPath, Path dir, int atLeast)
            throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<Path> sources = new ArrayList<>();
        while (blocks.find()) {
            if (!chosen.test(blocks.group(1))) {
                continue;
            }
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String line : blocks.group(1).split("\n")) {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            String name = "ReadmeSnippet" + sources.size();
            Path file = dir.resolve(name + ".java");
            Files.writeString(file, imports + "\nclass " + name + " {\n  void run() throws Exception {\n" + body + "  }\n}\n");
            sources.add(file);
        }
        assertTrue(sources.size() >= atLeast, "the README's Java blocks were not found");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "a JDK is needed to run the tests");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = compiler.getTask(null, files, diagnostics, List.of("-classpath", classPath,
                    "-d", dir.toString(), "-proc:none"), null, files.getJavaFileObjectsFromPaths(sources)).call();
            StringBuilder errors = new StringBuilder();
            diagnostics.getDiagnostics().forEach(d -> errors.append(d).append('\n'));
            assertTrue(ok, "the README's Java does not compile:\n" + errors);
        }
    }
}
