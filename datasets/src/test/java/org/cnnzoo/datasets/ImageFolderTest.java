package org.cnnzoo.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    @TempDir
    Path root;
    @TempDir
    Path scratch;

    private void images(String cls, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Fixtures.solid(root.resolve(cls).resolve("img" + i + ".png"), 10, 8, i * 20, 50, 100);
        }
    }

    @Test
    void classesAreSortedFolderNamesAndFilesAreFoundRecursively() throws IOException {
        images("zebra", 2);
        images("ant", 3);
        Fixtures.solid(root.resolve("ant/deeper/more/x.jpg"), 10, 8, 1, 2, 3);
        Fixtures.bytes(root.resolve("ant/.DS_Store"), new byte[]{1, 2, 3});
        ImageFolder folder = ImageFolder.scan(root);
        assertEquals(List.of("ant", "zebra"), folder.classes());
        assertEquals(6, folder.size());
        assertEquals(4, ClassBalance.of(folder).counts()[0]);
        assertNull(folder.warning(), "hidden files are ignored, not reported");
    }

    @Test
    void badFilesAreListedInOneWarningAndSkipped() throws IOException {
        images("cat", 2);
        images("dog", 2);
        Fixtures.bytes(root.resolve("cat/empty.jpg"), new byte[0]);
        Fixtures.bytes(root.resolve("dog/readme.txt"), "not a picture".getBytes());
        byte[] jpg = Files.readAllBytes(Fixtures.solid(scratch.resolve("whole.jpg"), 32, 32, 9, 9, 9));
        Fixtures.bytes(root.resolve("dog/cut.jpg"), java.util.Arrays.copyOf(jpg, jpg.length / 2));
        ImageFolder folder = ImageFolder.scan(root);
        assertEquals(4, folder.size());
        assertEquals(3, folder.rejected().size());
        String warning = folder.warning();
        assertTrue(warning.contains("cat/empty.jpg (zero bytes)"), warning);
        assertTrue(warning.contains("dog/readme.txt (not an image"), warning);
        assertTrue(warning.contains("dog/cut.jpg (truncated JPEG"), warning);
    }

    @Test
    void anEmptyClassOrASingleClassOrNoFolderIsAClearError() throws IOException {
        images("cat", 2);
        Files.createDirectories(root.resolve("dog"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ImageFolder.scan(root));
        assertTrue(empty.getMessage().contains("dog") && empty.getMessage().contains("without a usable image"),
                empty.getMessage());
        Files.delete(root.resolve("dog"));
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class, () -> ImageFolder.scan(root));
        assertTrue(single.getMessage().contains("at least two"), single.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.scan(root.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("nowhere") && missing.getMessage().contains("not a folder"));
    }

    @Test
    void theFingerprintFollowsFilesSizesAndLabels() throws IOException {
        images("cat", 2);
        images("dog", 2);
        String first = ImageFolder.scan(root).fingerprint();
        assertEquals(first, ImageFolder.scan(root).fingerprint());
        Files.move(root.resolve("dog/img1.png"), root.resolve("cat/img9.png"));
        assertNotEquals(first, ImageFolder.scan(root).fingerprint());
    }

    /** A PNG or JPEG header declaring 65535x65535 pixels is set aside at the scan, before anything is decoded. */
    @Test
    void imagesDeclaringTooManyPixelsAreSetAsideByTheirHeader(@TempDir Path root) throws Exception {
        for (String c : new String[]{"a", "b"}) {
            Fixtures.grey(root.resolve(c + "/ok.png"), 8, 8, 100);
        }
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(45);
        png.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        png.putInt(65535).putInt(65535).put(new byte[]{8, 2, 0, 0, 0, 0, 0, 0, 0});
        png.put(new byte[]{0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82});
        Fixtures.bytes(root.resolve("a/huge.png"), java.util.Arrays.copyOf(png.array(), png.position()));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 11, 8, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, 1, 1, 0x11, 0, (byte) 0xFF, (byte) 0xD9};
        Fixtures.bytes(root.resolve("b/huge.jpg"), jpeg);
        ImageFolder folder = ImageFolder.scan(root);
        assertEquals(2, folder.size());
        assertEquals(2, folder.rejected().size());
        for (ImageFolder.Rejected r : folder.rejected()) {
            assertTrue(r.reason().contains("declares 65535x65535 pixels, over the limit"), r.reason());
        }
        assertTrue(folder.warning().contains("huge.png") && folder.warning().contains("huge.jpg"), folder.warning());
        // and at decoding, whatever reached it
        UnreadableImageException e = assertThrows(UnreadableImageException.class,
                () -> ImageDecoder.read(root.resolve("b/huge.jpg"), 3));
        assertTrue(e.getMessage().contains("65535x65535"), e.getMessage());
    }
}
