package org.cnnzoo.transfer;

/** Reports long work as it happens (the command line shows progress bars). */
public interface Progress {
    Progress NONE = new Progress() {
    };

    default void start(String task, long total) {
    }

    default void step(long done) {
    }

    default void message(String text) {
    }

    default void finish() {
    }
}
