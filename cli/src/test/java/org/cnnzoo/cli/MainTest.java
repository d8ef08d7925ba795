package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class MainTest {
    private final ObjectMapper mapper = new ObjectMapper();

    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // no auto-flush, like System.out under the launcher: Main must flush what it prints
        int code = Main.run(new PrintWriter(out, false), new PrintWriter(err, false), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void summariesOfTheOneAndThreeDimensionalExamples() {
        Result one = run("summary", "conv1d");
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("Convolution1DLayer") && one.out().contains("9,578 trainable"), one.out());
        Result three = run("summary", "conv3d", "--classes", "5");
        assertEquals(0, three.code(), three.err());
        assertTrue(three.out().contains("16x3x7x7") && three.out().contains("3,781 trainable"), three.out());
        Result refused = run("summary", "conv1d", "--input", "32,32,3");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("leave out --input"), refused.err());
    }

    /** The command line alone does not carry Spark: --spark says how to get it instead of failing obscurely. */
    @Test
    void sparkWithoutTheSparkModuleSaysWhatToDo() {
        Result r = run("featurize", "--model", "lenet5", "--data", "embedded", "--spark", "local[2]");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--spark needs cnnzoo's spark module") && r.err().contains("./cnnzoo"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        Result stall = run("featurize", "--model", "lenet5", "--data", "embedded", "--spark-stall-limit", "30");
        assertEquals(2, stall.code(), stall.out());
        assertTrue(stall.err().contains("--spark-stall-limit goes with --spark-training sharing"), stall.err());
    }

    @Test
    void modelsListsEveryNetworkWithItsNumbers() {
        Result r = run("models");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resnet50") && r.out().contains("25,557,032"), r.out());
        assertTrue(r.out().contains("lenet5") && r.out().contains("61,706"), r.out());
        assertTrue(r.out().contains("efficientnet_b7") && r.out().contains("66,347,960"), r.out());
        assertTrue(r.out().contains("He et al. 2015"), r.out());
        // which networks have pretrained weights, default first
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("resnet50 ") && l.contains("resnet50.IMAGENET1K_V2 +2")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("lenet5 ") && l.contains(" - ")), r.out());
    }

    @Test
    void modelsJsonIsValidAndComplete() throws Exception {
        Result r = run("models", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode models = mapper.readTree(r.out());
        assertEquals(22, models.size());
        JsonNode googlenet = null;
        for (JsonNode m : models) {
            if (m.get("name").asText().equals("googlenet")) {
                googlenet = m;
            }
        }
        assertTrue(googlenet != null, r.out());
        assertEquals(6_624_904, googlenet.get("params").asLong());
        assertEquals(1.50e9, googlenet.get("macs").asDouble(), 0.02 * 1.50e9);
        assertEquals(224, googlenet.get("input").get("height").asInt());
    }

    @Test
    void summaryJsonOfResNet50HasTheRequiredFields() throws Exception {
        Result r = run("summary", "resnet50", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode s = mapper.readTree(r.out());
        assertEquals("resnet50", s.get("name").asText());
        assertEquals(224, s.get("input").get("width").asInt());
        assertEquals(25_557_032, s.get("params").get("trainable").asLong());
        assertEquals(25_557_032 + 53_120, s.get("params").get("total").asLong());
        assertEquals(4.09e9, s.get("macs").asDouble(), 0.02 * 4.09e9);
        JsonNode first = s.get("layers").get(0);
        assertEquals("conv1", first.get("name").asText());
        assertEquals("[64,112,112]", first.get("shape").toString());
        assertEquals(9408, first.get("params").get("trainable").asLong());
    }

    @Test
    void summaryTakesInputSizeAndClasses() throws Exception {
        Result r = run("summary", "resnet18", "--input", "64,64,3", "--classes", "10", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode s = mapper.readTree(r.out());
        assertEquals(64, s.get("input").get("height").asInt());
        JsonNode layers = s.get("layers");
        JsonNode fc = layers.get(layers.size() - 1);
        assertEquals("fc", fc.get("name").asText());
        assertEquals(512 * 10 + 10, fc.get("params").get("total").asLong());
        Result table = run("summary", "resnet18");
        assertTrue(table.out().contains("layer4.1.conv2") && table.out().contains("11,689,512 trainable"), table.out());
    }

    @Test
    void badInputIsAClearErrorWithExitCode2() {
        Result unknown = run("summary", "resnet51");
        assertEquals(Main.BAD_INPUT, unknown.code());
        assertTrue(unknown.err().contains("unknown network 'resnet51'") && unknown.err().contains("resnet50"), unknown.err());

        Result badInput = run("summary", "resnet50", "--input", "224x224");
        assertEquals(Main.BAD_INPUT, badInput.code());
        assertTrue(badInput.err().contains("--input") && badInput.err().contains("H,W,C (e.g. 224,224,3)"), badInput.err());

        Result tooSmall = run("summary", "vgg16", "--input", "8,8,3");
        assertEquals(Main.BAD_INPUT, tooSmall.code());
        assertTrue(tooSmall.err().contains("too small"), tooSmall.err());

        Result missing = run("summary");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("NAME"), missing.err());
    }

    @Test
    void withoutACommandItShowsUsage() {
        Result r = run();
        assertEquals(0, r.code());
        assertTrue(r.out().contains("models") && r.out().contains("summary"), r.out());
    }
}
