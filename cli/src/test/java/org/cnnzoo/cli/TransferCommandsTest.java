package org.cnnzoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** transfer, predict and cache through the command line, on a small photo folder made here. */
class TransferCommandsTest {
    @TempDir
    Path dir;

    private Path photos() throws Exception {
        return TestPhotos.twoColours(dir.resolve("photos"));
    }

    @Test
    void transferThenPredictWithTenCropsAndAnEnsembleThenManageTheCache() throws Exception {
        Path photos = photos();
        String cache = dir.resolve("cache").toString();
        MainTest.Result t = MainTest.run("transfer", "--model", "resnet18", "--input", "32,32,3", "--data",
                photos.toString(), "--split", "0.6,0.2,0.2", "--epochs", "3", "--head", "mlp:16", "--cache", cache,
                "--regime", "head", "--normalization", "unit", "--out", dir.resolve("run1").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("regime: head") && t.out().contains("test: 8 images"), t.out());
        // frozen random layers are said, not silent; top-2 of two classes is no result
        assertTrue(t.err().contains("warning: the base network has random weights"), t.err());
        assertFalse(t.out().contains("top-"), t.out());
        for (String f : new String[]{"model.zip", "run.json", "metrics.json", "curves.png", "confusion.png"}) {
            assertTrue(Files.size(dir.resolve("run1").resolve(f)) > 0, f);
        }
        MainTest.Result t2 = MainTest.run("transfer", "--model", dir.resolve("run1").toString(), "--data",
                photos.toString(), "--split", "0.6,0.2,0.2", "--epochs", "2", "--regime", "partial", "--finetune-epochs", "1", "--cache", cache,
                "--out", dir.resolve("run2").toString());
        assertEquals(0, t2.code(), t2.err());
        assertTrue(t2.out().contains("regime: partial"), t2.out());
        // a run as the base brings the normalisation it was trained with
        assertTrue(t2.err().contains("normalisation from run " + dir.resolve("run1") + ": unit"), t2.err());
        // partial: the head first, then fine-tuning with its cost said beforehand, kept only if it validates better
        assertTrue(t2.err().contains("fine-tuning after") && t2.err().contains("one batch timed"), t2.err());
        assertTrue(t2.out().contains("fine-tuning: ") && t2.out().contains("validation accuracy"), t2.out());
        MainTest.Result overridden = MainTest.run("search", "--model", dir.resolve("run1").toString(), "--data",
                photos.toString(), "--normalization", "imagenet", "--trials", "1", "--cache", cache,
                "--out", dir.resolve("search").toString());
        assertEquals(0, overridden.code(), overridden.err());
        assertTrue(overridden.err().contains("normalisation imagenet") && overridden.err().contains("overriding unit"),
                overridden.err());

        // any DL4J model file works as a base (imported models arrive this way), given its input size
        MainTest.Result fromFile = MainTest.run("transfer", "--model", dir.resolve("run1/model.zip").toString(), "--input",
                "32,32,3", "--data", photos.toString(), "--split", "0.6,0.2,0.2", "--epochs", "1", "--cache", cache,
                "--out", dir.resolve("run3").toString());
        assertEquals(0, fromFile.code(), fromFile.err());
        // a DL4J zip does not say its input size
        MainTest.Result zipWithoutInput = MainTest.run("transfer", "--model", dir.resolve("run1/model.zip").toString(),
                "--data", photos.toString(), "--out", dir.resolve("run4").toString());
        assertEquals(Main.BAD_INPUT, zipWithoutInput.code());
        assertTrue(zipWithoutInput.err().contains("give its input size with --input H,W,C"), zipWithoutInput.err());

        Path image = photos.resolve("bluish/3.jpg");
        MainTest.Result p = MainTest.run("predict", "--model", dir.resolve("run1").toString(), "--crops", "10", "--top",
                "2", image.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("bluish") && p.out().contains("reddish"), p.out());

        MainTest.Result ls = MainTest.run("cache", "ls", "--cache", cache);
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.out().contains("resnet18 / ") && ls.out().contains(" / avgpool / 32x32x3 / unit"), ls.out());
        MainTest.Result rm = MainTest.run("cache", "rm", "--all", "--cache", cache);
        assertEquals(0, rm.code(), rm.err());
        assertTrue(MainTest.run("cache", "ls", "--cache", cache).out().contains("total 0.0 KB"));
    }

    @Test
    void badArgumentsAreClearErrors() throws Exception {
        Path photos = photos();
        MainTest.Result noInput = MainTest.run("transfer", "--model", photos.resolve("bluish/1.jpg").toString(), "--data",
                photos.toString(), "--out", dir.resolve("x").toString());
        assertEquals(Main.BAD_INPUT, noInput.code());
        assertTrue(noInput.err().contains("expected a DL4J model .zip, a Keras .h5 model or a TF.js model.json"),
                noInput.err());
        MainTest.Result badBlock = MainTest.run("transfer", "--model", "resnet18", "--input", "32,32,3", "--data",
                photos.toString(), "--freeze-until", "layer9", "--cache", dir.resolve("c").toString(),
                "--out", dir.resolve("y").toString());
        assertEquals(Main.BAD_INPUT, badBlock.code());
        assertTrue(badBlock.err().contains("layer9") && badBlock.err().contains("layer4"), badBlock.err());
        MainTest.Result notRun = MainTest.run("predict", "--model", photos.toString(), photos.resolve("bluish/1.jpg").toString());
        assertEquals(Main.BAD_INPUT, notRun.code());
        MainTest.Result missingRun = MainTest.run("predict", "--model", dir.resolve("runs/nosuch").toString(),
                photos.resolve("bluish/1.jpg").toString());
        assertEquals(Main.BAD_INPUT, missingRun.code());
        assertTrue(missingRun.err().contains("is neither a run folder, a model file nor a zoo network"), missingRun.err());
        MainTest.Result noSuchEntry = MainTest.run("cache", "rm", "nosuchid", "--cache", dir.resolve("c").toString());
        assertEquals(Main.BAD_INPUT, noSuchEntry.code());
        assertTrue(noSuchEntry.err().contains("no cache entry's id starts with 'nosuchid'"), noSuchEntry.err());
        // numbers are checked where they are read, with the option named
        String[][] badValues = {{"--lr", "NaN", "no learning rate"}, {"--lr", "-1", "no learning rate"},
                {"--lr", "1e9", "no learning rate"}, {"--patience", "-2", "from 0 up"}, {"--epochs", "0", "from 1 up"},
                {"--augment-views", "-1", "from 0 up"}, {"--batch", "0", "from 1 up"}, {"--split", "0.5,NaN,0.5", "finite"},
                {"--augment", ",,,", "empty step"}};
        for (String[] bad : badValues) {
            MainTest.Result r = MainTest.run("transfer", "--model", "lenet5", "--data", photos.toString(), bad[0], bad[1],
                    "--cache", dir.resolve("c").toString(), "--out", dir.resolve("bad").toString());
            assertEquals(Main.BAD_INPUT, r.code(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().contains(bad[2]) && !r.err().contains("\tat "), String.join(" ", bad) + ": " + r.err());
        }
        MainTest.Result top0 = MainTest.run("predict", "--model", dir.resolve("z").toString(), "--top", "0",
                photos.resolve("bluish/1.jpg").toString());
        assertTrue(top0.code() == Main.BAD_INPUT && top0.err().contains("'0' must be a whole number from 1 up"), top0.err());
        MainTest.Result oneClass = MainTest.run("transfer", "--model", "lenet5", "--data", photos.toString(), "--classes",
                "bluish", "--out", dir.resolve("one").toString());
        assertTrue(oneClass.code() == Main.BAD_INPUT && oneClass.err().contains("at least two"), oneClass.err());
        // nothing is overwritten without --overwrite, and a file as --out is refused before any work
        Files.writeString(dir.resolve("afile"), "keep me");
        MainTest.Result onFile = MainTest.run("transfer", "--model", "lenet5", "--data", photos.toString(), "--out",
                dir.resolve("afile").toString());
        assertEquals(Main.BAD_INPUT, onFile.code());
        assertTrue(onFile.err().contains("is a file, not a folder") && !onFile.err().contains("features"), onFile.err());
        assertEquals("keep me", Files.readString(dir.resolve("afile")));
        Files.createDirectories(dir.resolve("earlier"));
        Files.writeString(dir.resolve("earlier/run.json"), "{}");
        MainTest.Result onRun = MainTest.run("transfer", "--model", "lenet5", "--data", photos.toString(), "--out",
                dir.resolve("earlier").toString());
        assertEquals(Main.BAD_INPUT, onRun.code());
        assertTrue(onRun.err().contains("already holds files") && onRun.err().contains("--overwrite"), onRun.err());
        assertEquals("{}", Files.readString(dir.resolve("earlier/run.json")));
        MainTest.Result scratch = MainTest.run("transfer", "--model", "lenet5", "--data", photos.toString(), "--epochs",
                "1", "--cache", dir.resolve("c").toString(), "--out", dir.resolve("z").toString());
        assertEquals(0, scratch.code(), scratch.err());
        assertTrue(scratch.out().contains("regime: full"), "a network without weights is trained whole: " + scratch.out());
        MainTest.Result replaced = MainTest.run("transfer", "--model", "lenet5", "--data", photos.toString(), "--epochs",
                "1", "--cache", dir.resolve("c").toString(), "--out", dir.resolve("earlier").toString(), "--overwrite");
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(Files.size(dir.resolve("earlier/model.zip")) > 0);
        assertTrue(Files.readString(dir.resolve("earlier/run.json")).contains("lenet5"));
        assertTrue(notRun.err().contains("is not a run folder"), notRun.err());
        MainTest.Result badCrops = MainTest.run("cache", "rm", "--cache", dir.resolve("c").toString());
        assertEquals(Main.BAD_INPUT, badCrops.code());
        assertTrue(badCrops.err().contains("--all"), badCrops.err());
    }

    /** A header declaring 65535x65535 pixels in every part: the command finishes and names the file. */
    @Test
    void anImageDeclaringBillionsOfPixelsIsNamedAndSkipped() throws Exception {
        Path photos = photos();
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(45);
        png.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        png.putInt(65535).putInt(65535).put(new byte[]{8, 2, 0, 0, 0, 0, 0, 0, 0});
        png.put(new byte[]{0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82});
        // several copies, so that whatever the split, training, validation and test each could have drawn one
        for (int i = 0; i < 6; i++) {
            Files.write(photos.resolve("bluish/huge" + i + ".png"), java.util.Arrays.copyOf(png.array(), png.position()));
        }
        MainTest.Result d = MainTest.run("dataset", photos.toString());
        assertEquals(0, d.code(), d.err());
        assertTrue(d.err().contains("huge0.png") && d.err().contains("65535x65535"), d.err());
        MainTest.Result t = MainTest.run("transfer", "--model", "lenet5", "--data", photos.toString(), "--epochs", "1",
                "--cache", dir.resolve("c").toString(), "--out", dir.resolve("huge-run").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("huge5.png") && t.err().contains("over the limit"), t.err());
    }
}
