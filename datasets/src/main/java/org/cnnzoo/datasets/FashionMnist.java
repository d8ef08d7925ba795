package org.cnnzoo.datasets;

import org.cnnzoo.common.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 70,000 28x28 grey photos of clothing in 10 classes. Found in a
 * given folder, in Debian's {@code dataset-fashion-mnist} location, or downloaded from the published address; in
 * every case checked by the MD5 of the decompressed content (Debian recompresses the .gz files, so their own
 * checksums differ from upstream's while the content is identical).
 */
public final class FashionMnist {
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Where Debian's package puts it. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The published download location. */
    public static final String DEFAULT_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /** MD5 of the decompressed images and labels of each part. */
    static final String[] TRAIN_MD5 = {"f4a8712d7a061bf5bd6d2ca38dc4d50a", "9018921c3c673c538a1fc5bad174d6f9"};
    static final String[] TEST_MD5 = {"8181f5470baa50b63fa0f6fddb340f0a", "15d484375f8d13e6eb1aabb0c3f46965"};

    private FashionMnist() {
    }

    /** Reads a part from a folder holding the four idx files (plain or .gz), checking their content. */
    public static ImageArrays load(Path dir, Part part) throws IOException {
        return IdxDataset.load("fashion-mnist", dir, part, CLASSES, part == Part.TRAIN ? TRAIN_MD5 : TEST_MD5);
    }

    /**
     * The folder to read from: {@code dir} if it holds the files, else Debian's location, else (unless offline)
     * a download from {@code mirror} into {@code dir}.
     *
     * @throws IOException when offline and nothing is found, naming the files and where to put them
     */
    public static Path locate(Path dir, boolean offline, String mirror) throws IOException {
        if (dir != null && complete(dir)) {
            return dir;
        }
        if (complete(DEBIAN_DIR)) {
            return DEBIAN_DIR;
        }
        if (dir == null) {
            throw new IOException("Fashion-MNIST not found in " + DEBIAN_DIR + "; give a folder to find or download it in");
        }
        if (offline) {
            throw new IOException("Fashion-MNIST not found in " + dir + " or " + DEBIAN_DIR + " and downloads are off:"
                    + " place train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and"
                    + " t10k-labels-idx1-ubyte.gz in " + dir + " (or install Debian's dataset-fashion-mnist)");
        }
        download(dir, mirror == null ? DEFAULT_MIRROR : mirror);
        return dir;
    }

    private static boolean complete(Path dir) {
        for (Part part : Part.values()) {
            if (IdxDataset.find(dir, part.imagesFile()) == null || IdxDataset.find(dir, part.labelsFile()) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Downloads the four files into {@code dir}: each goes to a temporary file, is checked by content, and only
     * then moved into place, so an interrupted or corrupted download leaves nothing behind.
     */
    public static void download(Path dir, String mirror) throws IOException {
        Files.createDirectories(dir);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String base = mirror.endsWith("/") ? mirror : mirror + "/";
        for (Part part : Part.values()) {
            String[] md5 = part == Part.TRAIN ? TRAIN_MD5 : TEST_MD5;
            fetch(client, base, dir, part.imagesFile(), md5[0], true);
            fetch(client, base, dir, part.labelsFile(), md5[1], false);
        }
    }

    private static void fetch(HttpClient client, String base, Path dir, String name, String md5, boolean images)
            throws IOException {
        String file = name + ".gz";
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target)) {
            return;
        }
        URI uri = URI.create(base + file);
        try {
            AtomicFiles.write(target, tmp -> fetchInto(client, uri, tmp, md5, images));
        } catch (IOException e) {
            throw new IOException("downloading " + uri + " failed: " + e.getMessage(), e);
        }
    }

    /** Downloads into {@code tmp} and checks its content; throwing discards it. */
    private static void fetchInto(HttpClient client, URI uri, Path tmp, String md5, boolean images) throws IOException {
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("downloading " + uri + " failed: HTTP " + response.statusCode());
            }
            try (InputStream body = response.body()) {
                Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = images ? Idx.readImages(tmp).md5() : Idx.readLabels(tmp).md5();
            IdxDataset.verify(tmp, actual, md5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of " + uri + " interrupted", e);
        }
    }
}
