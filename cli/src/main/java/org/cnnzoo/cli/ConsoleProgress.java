package org.cnnzoo.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnnzoo.transfer.Progress;

import java.io.PrintWriter;

/**
 * Progress bars on stderr for featurization and epochs; messages on stderr too, so stdout stays for results. When
 * stderr is not a terminal (a log file, a pipe), whole lines instead: a bar's carriage returns would leave a log
 * full of overwritten fragments.
 */
final class ConsoleProgress implements Progress {
    private final PrintWriter err;
    private final boolean terminal;
    private ProgressBar bar;
    private String task;
    private long total;
    private long lastTenth;

    ConsoleProgress(PrintWriter err) {
        this(err, System.console() != null);
    }

    ConsoleProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void start(String task, long total) {
        finish();
        if (!terminal) {
            this.task = task;
            this.total = total;
            this.lastTenth = 0;
            return;
        }
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    }

    @Override
    public void step(long done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (task != null && total > 0) {
            long tenth = done * 10 / total;
            if (tenth > lastTenth || done == total) {
                lastTenth = tenth;
                err.printf("%s: %d/%d%n", task, done, total);
                err.flush();
            }
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
        task = null;
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
