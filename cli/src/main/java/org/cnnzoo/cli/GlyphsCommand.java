package org.cnnzoo.cli;

import org.cnnzoo.datasets.Glyphs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cnnzoo glyphs}: a many-class image folder for one-shot learning, drawn from the machine's typefaces. */
@Command(name = "glyphs", mixinStandardHelpOptions = true,
        description = "Write an image folder with one class per character and one image per typeface that draws it"
                + " (white on black, scaled to fit, centred): a many-class set for one-shot learning, as Omniglot"
                + " has one image per person who drew a character.")
final class GlyphsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    CommandSpec spec;

    @Option(names = "--fonts", required = true, split = ",", paramLabel = "FILE|DIR",
            description = "Font files (.ttf, .otf, .ttc) or folders searched for them, e.g. /usr/share/fonts.")
    List<Path> fonts;

    @Option(names = "--faces", split = ",", paramLabel = "NAME", description = "Use only these faces, by name"
            + " (default: every face found).")
    List<String> faces = List.of();

    @Option(names = "--faces-file", paramLabel = "FILE", description = "Use only the faces named in FILE, one per"
            + " line ('#' starts a comment).")
    Path facesFile;

    @Option(names = "--chars", required = true, paramLabel = "RANGES",
            description = "Code points in hexadecimal, e.g. 4E00-9FFF for the CJK ideographs or 41-5A,61-7A for Latin letters.")
    String chars;

    @Option(names = "--size", converter = Values.Positive.class, paramLabel = "PIXELS",
            description = "Pixels square, 8 to 512 (default 32).")
    int size = 32;

    @Option(names = "--min-faces", converter = Values.Positive.class, paramLabel = "K",
            description = "Keep a character only when at least K faces draw it, each differently (default 10).")
    int minFaces = 10;

    @Option(names = "--limit", converter = Values.NonNegative.class, paramLabel = "N",
            description = "At most N classes, the first in code point order (default 0: all).")
    int limit;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The image folder to write.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the folder at --out once the new one is complete.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Glyphs.Report r = Glyphs.write(new Glyphs.Spec(fonts, faceNames(), Glyphs.Characters.parse(chars), size,
                minFaces, limit), out, overwrite);
        spec.commandLine().getOut().printf("wrote %s: %,d classes (of %,d code points), %,d images from %d faces%n",
                out, r.classes(), r.characters(), r.images(), r.faces().size());
        return 0;
    }

    private List<String> faceNames() throws IOException {
        if (facesFile == null) {
            return faces;
        }
        if (!faces.isEmpty()) {
            throw new IllegalArgumentException("give the faces with --faces or --faces-file, not both");
        }
        if (!Files.isRegularFile(facesFile) || Files.size(facesFile) > 1 << 20) {
            throw new IllegalArgumentException("--faces-file " + facesFile + ": no such file of face names (one per"
                    + " line, at most 1 MiB)");
        }
        return Files.readAllLines(facesFile).stream().map(String::trim).filter(n -> !n.isEmpty() && !n.startsWith("#"))
                .toList();
    }
}
