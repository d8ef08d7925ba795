package org.cnnzoo.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnnzoo.transfer.Progress;

import java.io.PrintWriter;

/** Progress bars on stderr for featurization and epochs; messages on stderr too, so stdout stays for results. */
final class ConsoleProgress implements Progress {
    private final PrintWriter err;
    private ProgressBar bar;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void start(String task, long total) {
        finish();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    }

    @Override
    public void step(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text.length() > 60 ? text.substring(text.length() - 60) : text);
        } else {
            err.println(text);
            err.flush();
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
