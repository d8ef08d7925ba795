package org.cnnzoo.datasets;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches of images for a network: decoded on several threads, optionally augmented, resized to the network's
 * input and normalised, as NCHW float features with one-hot labels.
 *
 * <p>Determinism: the shuffle of each epoch and the augmentation of each image are seeded from (seed, epoch,
 * image), so the same seed gives the same batches whatever the number of threads. Images that fail to decode are
 * skipped (the batch is one shorter) and listed once per epoch in a warning, so a bad file never ends an epoch.
 * Wrap with {@link #prefetching(int)} to prepare batches in the background while the network trains.
 */
public final class ImageIterator extends EpochIterator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImageIterator.class);

    /** How an image of another size is fitted to the network's input. */
    public enum Fit {
        /** Scale the shorter side to the input size, then cut the centre: keeps proportions (ImageNet practice). */
        SHORTER_SIDE_CENTER_CROP,
        /** Scale each side to the input size: keeps everything, distorts proportions. */
        STRETCH
    }

    private final ImageSource source;
    private final int batchSize;
    private final int height;
    private final int width;
    private final int channels;
    private final Fit fit;
    private final Normalization normalization;
    private final ImageAugmenter augmenter;
    private final boolean shuffle;
    private final long seed;
    private final int threads;
    private ExecutorService pool;                     // alive during an epoch only, so finished iterators hold no threads
    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

    private int[] order;
    private int cursor;

    private ImageIterator(Builder b) {
        super(b.source.classes(), b.batchSize);
        this.source = b.source;
        this.batchSize = b.batchSize;
        this.height = b.height;
        this.width = b.width;
        this.channels = b.channels;
        this.fit = b.fit;
        this.normalization = b.normalization;
        this.augmenter = b.augmenter;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.threads = b.threads;
        startEpoch();
    }

    public static Builder builder(ImageSource source) {
        return new Builder(source);
    }

    /**
     * This iterator with batches prepared ahead on a background thread; a failure there is thrown to the caller
     * (DL4J's own asynchronous iterator left the caller waiting forever).
     */
    public DataSetIterator prefetching(int queueSize) {
        return new Prefetching(this, queueSize);
    }

    public ImageSource source() {
        return source;
    }

    /** Whether worker threads are running (only between an epoch's first batch and its last). */
    boolean hasWorkers() {
        return pool != null;
    }

    /** Images skipped in the current epoch, each with its reason. */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    @Override
    protected void startEpoch() {
        order = new int[source.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random random = new Random(Seeds.mix(seed, epoch(), -1));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        cursor = 0;
        skipped.clear();
    }

    /** Stops the decoding threads of an epoch left unfinished (a finished epoch has none). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
            pool = null;
        }
    }

    /** Passes over the next batch without decoding it (for consumers that already hold its result). */
    public void skipBatch() {
        cursor = Math.min(order.length, cursor + batchSize);
    }

    /** Number of batches in an epoch. */
    public int batchCount() {
        return (order.length + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    protected DataSet nextBatch() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("epoch finished: call reset()");
        }
        int end = Math.min(order.length, cursor + batchSize);
        int[] batch = java.util.Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        int pixels = channels * height * width;
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "cnnzoo-images");
                t.setDaemon(true);
                return t;
            });
        }
        List<Future<float[]>> futures = new ArrayList<>();
        for (int index : batch) {
            futures.add(pool.submit(() -> load(index)));
        }
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < batch.length; k++) {
            float[] image = get(futures.get(k));
            if (image != null) {
                images.add(image);
                labels.add(source.label(batch[k]));
            }
        }
        if (!hasNext()) {
            pool.shutdown();
            pool = null;
            if (!skipped.isEmpty()) {
                LOG.warn("{} image(s) skipped this epoch: {}", skipped.size(), String.join("; ", skipped));
            }
        }
        if (images.isEmpty()) {
            return hasNext() ? nextBatch() : emptyBatch();
        }
        float[] features = new float[images.size() * pixels];
        for (int k = 0; k < images.size(); k++) {
            System.arraycopy(images.get(k), 0, features, k * pixels, pixels);
        }
        INDArray x = Nd4j.create(features, new long[]{images.size(), channels, height, width}, DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, images.size(), totalOutcomes());
        for (int k = 0; k < labels.size(); k++) {
            y.putScalar(k, labels.get(k), 1.0);
        }
        return new DataSet(x, y);
    }

    private DataSet emptyBatch() {
        return new DataSet(Nd4j.create(DataType.FLOAT, 0, channels, height, width),
                Nd4j.create(DataType.FLOAT, 0, totalOutcomes()));
    }

    private static float[] get(Future<float[]> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading images", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("loading an image failed: " + e.getCause(), e.getCause());
        }
    }

    /** Decodes, augments, fits and normalises image i; null when it cannot be decoded (recorded as skipped). */
    private float[] load(int index) {
        Mat image;
        int side = Math.max(height, width);
        try {
            image = source.decode(index, channels, augmenter == null ? side : workingSide(side));
        } catch (IOException e) {
            skipped.add(e instanceof UnreadableImageException u ? u.path() + " (" + u.reason() + ")"
                    : source.describe(index) + " (" + e.getMessage() + ")");
            return null;
        } catch (RuntimeException | OutOfMemoryError e) {
            // OpenCV refusing a file surfaces as a RuntimeException; either way the image is unusable, not the run
            skipped.add(source.describe(index) + " (could not be decoded: " + e.getMessage() + ")");
            return null;
        }
        if (augmenter != null) {
            // shrink large photos first so that augmentation works near the network's resolution
            image = shrinkTo(image, workingSide(side));
            image = augmenter.augment(image, new Random(Seeds.mix(seed, epoch(), index)));
        }
        Mat fitted = fit(image, height, width, fit);
        return toChw(fitted, normalization);
    }

    /** The size augmentation works at: 8/7 of the input (256 for 224), the usual resize-then-crop margin. */
    private static int workingSide(int side) {
        return (int) Math.round(side * 8.0 / 7);
    }

    /** Scales an image to exactly height x width in the given way, resizing as the project trains ({@link Interpolation#AUTO}). */
    public static Mat fit(Mat image, int height, int width, Fit fit) {
        return fit(image, height, width, fit, Interpolation.AUTO);
    }

    /** Scales an image to exactly height x width in the given way with the given interpolation. */
    public static Mat fit(Mat image, int height, int width, Fit fit, Interpolation interpolation) {
        if (image.rows() == height && image.cols() == width) {
            return image;
        }
        if (fit == Fit.STRETCH) {
            return interpolation.resize(image, height, width);
        }
        double scale = Math.max((double) height / image.rows(), (double) width / image.cols());
        int h = Math.max(height, (int) Math.round(image.rows() * scale));
        int w = Math.max(width, (int) Math.round(image.cols() * scale));
        Mat resized = interpolation.resize(image, h, w);
        Mat out = new Mat();
        new Mat(resized, new Rect((w - width) / 2, (h - height) / 2, width, height)).copyTo(out);
        return out;
    }

    private static Mat shrinkTo(Mat image, int shorterSide) {
        int shorter = Math.min(image.rows(), image.cols());
        if (shorter <= shorterSide) {
            return image;
        }
        double scale = (double) shorterSide / shorter;
        return Interpolation.AUTO.resize(image, (int) Math.round(image.rows() * scale), (int) Math.round(image.cols() * scale));
    }

    /** An 8-bit HWC image as normalised CHW floats. */
    public static float[] toChw(Mat image, Normalization normalization) {
        int h = image.rows();
        int w = image.cols();
        int c = image.channels();
        byte[] hwc = new byte[h * w * c];
        Mat continuous = image.isContinuous() ? image : image.clone();
        continuous.data().get(hwc);
        float[] chw = new float[hwc.length];
        for (int ch = 0; ch < c; ch++) {
            float mean = (float) normalization.mean(ch);
            float scale = (float) (1 / (255.0 * normalization.std(ch)));
            float shift = (float) (mean / normalization.std(ch));
            int base = ch * h * w;
            for (int p = 0; p < h * w; p++) {
                chw[base + p] = (hwc[p * c + ch] & 0xFF) * scale - shift;
            }
        }
        return chw;
    }

    @Override
    public int inputColumns() {
        return channels * height * width;
    }

    /** False: DL4J would wrap it in its AsyncDataSetIterator, which hangs when a batch fails; use {@link #prefetching}. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Options of an {@link ImageIterator}. */
    public static final class Builder {
        private final ImageSource source;
        private int batchSize = 32;
        private int height = 224;
        private int width = 224;
        private int channels = 3;
        private Fit fit = Fit.SHORTER_SIDE_CENTER_CROP;
        private Normalization normalization = Normalization.UNIT;
        private ImageAugmenter augmenter;
        private boolean shuffle;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder(ImageSource source) {
            if (source.size() == 0) {
                throw new IllegalArgumentException("no images to iterate over");
            }
            this.source = source;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The network's input: height, width and channels (1 grey or 3 RGB). */
        public Builder input(int height, int width, int channels) {
            if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
                throw new IllegalArgumentException("input must be positive height and width and 1 or 3 channels, got "
                        + height + "x" + width + "x" + channels);
            }
            this.height = height;
            this.width = width;
            this.channels = channels;
            return this;
        }

        public Builder fit(Fit fit) {
            this.fit = fit;
            return this;
        }

        public Builder normalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        public Builder augmenter(ImageAugmenter augmenter) {
            this.augmenter = augmenter;
            return this;
        }

        /** Shuffle the images every epoch (from the seed). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        public ImageIterator build() {
            return new ImageIterator(this);
        }
    }
}
