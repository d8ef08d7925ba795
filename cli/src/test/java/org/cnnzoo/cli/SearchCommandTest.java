package org.cnnzoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnnzoo search through the command line: search, predict with the best, resume, and the errors. */
class SearchCommandTest {
    @TempDir
    Path dir;

    @Test
    void searchThenPredictWithTheBestThenResume() throws Exception {
        Path photos = TestPhotos.twoColours(dir.resolve("photos"));
        String cache = dir.resolve("cache").toString();
        String out = dir.resolve("search").toString();
        String[] args = {"search", "--model", "resnet18", "--input", "32,32,3", "--data", photos.toString(), "--split",
                "0.6,0.4", "--space", "epochs=3,batch=8|16", "--trials", "3", "--cache", cache, "--out", out};
        MainTest.Result s = MainTest.run(args);
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("3 candidate(s)") && s.out().contains("best run: " + out), s.out());
        assertTrue(s.err().contains("space: lr=1e-4..0.1:log,l2=1e-6..0.001:log,"), s.err());
        for (String f : new String[]{"search.json", "candidates.csv", "scores.png", "best/model.zip"}) {
            assertTrue(Files.size(dir.resolve("search").resolve(f)) > 0, f);
        }

        MainTest.Result p = MainTest.run("predict", "--model", out + "/best", "--top", "2",
                photos.resolve("bluish/3.jpg").toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("bluish") && p.out().contains("reddish"), p.out());

        MainTest.Result again = MainTest.run(args);
        assertEquals(Main.BAD_INPUT, again.code());
        assertTrue(again.err().contains("already holds a search") && again.err().contains("--resume"), again.err());

        String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
        resume[resume.length - 1] = "--resume";
        resume[java.util.Arrays.asList(resume).indexOf("--trials") + 1] = "4";
        MainTest.Result r = MainTest.run(resume);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 candidate(s)"), r.out());
        assertTrue(r.err().contains("resuming: 3 candidate(s) already recorded"), r.err());
    }

    @Test
    void subsetsOfABuiltInDatasetAndATestMeasure() {
        MainTest.Result s = MainTest.run("search", "--model", "lenet5", "--data", "embedded", "--classes",
                "Sandal,Bag", "--per-class", "20", "--test", "embedded", "--normalization", "unit", "--space",
                "epochs=2", "--trials", "2", "--cache", dir.resolve("cache").toString(), "--out",
                dir.resolve("s").toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("best on the test data (not used to choose): 200 images"), s.out());
    }

    @Test
    void mistakesAreNamed() {
        MainTest.Result parameters = MainTest.run("search", "--model", "lenet5", "--data", "embedded", "--out",
                dir.resolve("x").toString(), "--what", "finetune", "--parameters");
        assertEquals(0, parameters.code(), parameters.err());
        assertTrue(parameters.out().contains("blocks (integer 1..1000)") && parameters.out().contains("default space: blocks="),
                parameters.out());
        MainTest.Result badSpace = MainTest.run("search", "--model", "lenet5", "--data", "embedded", "--space",
                "lr=0.1..0.01", "--out", dir.resolve("x").toString());
        assertEquals(Main.BAD_INPUT, badSpace.code());
        assertTrue(badSpace.err().contains("lr: impossible range 0.1..0.01"), badSpace.err());
        MainTest.Result badWhat = MainTest.run("search", "--model", "lenet5", "--data", "embedded", "--what", "tail",
                "--out", dir.resolve("x").toString());
        assertEquals(Main.BAD_INPUT, badWhat.code());
        assertTrue(badWhat.err().contains("--what is head or finetune"), badWhat.err());
        MainTest.Result noValidation = MainTest.run("search", "--model", "lenet5", "--data", "embedded", "--split",
                "1,0", "--out", dir.resolve("x").toString(), "--cache", dir.resolve("cache").toString());
        assertEquals(Main.BAD_INPUT, noValidation.code());
        assertTrue(noValidation.err().contains("validation data"), noValidation.err());
    }
}
