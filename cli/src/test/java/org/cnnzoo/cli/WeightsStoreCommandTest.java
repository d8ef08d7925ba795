package org.cnnzoo.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnnzoo weights list/fetch/verify/import with a loopback mirror and a private store. */
class WeightsStoreCommandTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private byte[] file;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("cnnzoo.home", dir.resolve("home").toString());
        Path weights = TestWeights.resnet18(dir.resolve("served.safetensors"),
                (key, i) -> key.endsWith("running_var") ? 1 : 0.01);
        file = Files.readAllBytes(weights);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/resnet18.tv_in1k.safetensors", exchange -> {
            exchange.sendResponseHeaders(200, file.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(file);
            }
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        System.clearProperty("cnnzoo.home");
    }

    @Test
    void listFetchVerifyAndImport() throws Exception {
        MainTest.Result list = MainTest.run("weights", "list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("resnet50.tv_in1k") && list.out().contains("76.13"), list.out());

        MainTest.Result offline = MainTest.run("weights", "fetch", "resnet18.tv_in1k", "--offline");
        assertEquals(Main.BAD_INPUT, offline.code());
        assertTrue(offline.err().contains("downloads are off") && offline.err().contains("resnet18.tv_in1k.safetensors"),
                offline.err());

        String mirror = "http://127.0.0.1:" + server.getAddress().getPort();
        MainTest.Result fetch = MainTest.run("weights", "fetch", "resnet18.tv_in1k", "--mirror", mirror);
        assertEquals(0, fetch.code(), fetch.err());
        assertTrue(fetch.err().contains("recorded"), "trust on first use must warn: " + fetch.err());
        Path stored = dir.resolve("home/weights/resnet18.tv_in1k.safetensors");
        assertTrue(Files.isRegularFile(stored));

        MainTest.Result verify = MainTest.run("weights", "verify", stored.toString(), "--id", "resnet18.tv_in1k");
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("matches resnet18.tv_in1k") && verify.out().contains("loads into resnet18"),
                verify.out());
        MainTest.Result wrongNet = MainTest.run("weights", "verify", stored.toString(), "--model", "resnet34");
        assertEquals(Main.BAD_INPUT, wrongNet.code());
        assertTrue(wrongNet.err().contains("are for resnet18, not resnet34"), wrongNet.err());
        // the same file, not known as an entry (a copy with other bytes), is checked tensor by tensor
        Path otherBytes = Files.write(dir.resolve("other.safetensors"), Files.readAllBytes(stored));
        Files.write(otherBytes, new byte[]{0}, java.nio.file.StandardOpenOption.APPEND);
        MainTest.Result unknownCopy = MainTest.run("weights", "verify", otherBytes.toString(), "--model", "resnet34");
        assertEquals(Main.BAD_INPUT, unknownCopy.code());
        assertTrue(unknownCopy.err().contains("missing layer3.2"), unknownCopy.err());

        Path zip = dir.resolve("r18.zip");
        MainTest.Result imp = MainTest.run("weights", "import", stored.toString(), "--model", "resnet18", "--out", zip.toString());
        assertEquals(0, imp.code(), imp.err());
        var restored = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        assertEquals(0.01f, restored.getLayer("layer2.0.conv1").getParam("W").getFloat(0), 1e-7);

        // the entry's preprocessing is applied wherever images meet these weights: by id, or by the stored file
        Path photo = TestPhotos.twoColours(dir.resolve("photos")).resolve("bluish/1.jpg");
        for (String weights : new String[]{"resnet18.tv_in1k", stored.toString()}) {
            MainTest.Result p = MainTest.run("predict", "--model", "resnet18", "--weights", weights, photo.toString());
            assertEquals(0, p.code(), p.err());
            assertTrue(p.err().contains("preprocessing (from weights resnet18.tv_in1k): shorter side to 256 (bilinear), centre 224x224,"
                    + " mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]"), p.err());
        }
        Path copy = Files.copy(stored, dir.resolve("elsewhere.safetensors"));
        MainTest.Result byHash = MainTest.run("predict", "--model", "resnet18", "--weights", copy.toString(), photo.toString());
        assertTrue(byHash.err().contains("from weights resnet18.tv_in1k"), "a copy is known by its recorded hash: " + byHash.err());
        MainTest.Result t = MainTest.run("transfer", "--model", "resnet18", "--weights", "resnet18.tv_in1k", "--input",
                "32,32,3", "--data", dir.resolve("photos").toString(), "--split", "0.6,0.2,0.2", "--epochs", "1",
                "--cache", dir.resolve("cache").toString(), "--out", dir.resolve("run").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("normalisation from weights resnet18.tv_in1k: imagenet (mean [0.485, 0.456, 0.406]"), t.err());

        // a stored file changed after its hash was recorded is refused by path as by id
        byte[] original = Files.readAllBytes(stored);
        byte[] damaged = original.clone();
        damaged[damaged.length - 1] ^= 1;
        Files.write(stored, damaged);
        for (String weights : new String[]{"resnet18.tv_in1k", stored.toString()}) {
            MainTest.Result p = MainTest.run("predict", "--model", "resnet18", "--weights", weights, photo.toString());
            assertEquals(Main.BAD_INPUT, p.code(), p.err());
            assertTrue(p.err().contains("should have") && p.err().contains("fetch it again"), p.err());
        }
        Files.write(stored, original);
        MainTest.Result fileMirror = MainTest.run("weights", "fetch", "resnet34.tv_in1k", "--mirror", "file:///etc");
        assertEquals(Main.BAD_INPUT, fileMirror.code());
        assertTrue(fileMirror.err().contains("only http and https"), fileMirror.err());

        MainTest.Result unknown = MainTest.run("weights", "fetch", "resnet19.tv_in1k");
        assertEquals(Main.BAD_INPUT, unknown.code());
        assertTrue(unknown.err().contains("known: resnet18.tv_in1k"), unknown.err());
    }
}
