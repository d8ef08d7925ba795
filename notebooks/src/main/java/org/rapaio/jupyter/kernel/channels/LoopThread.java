package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rapaio kernel's channel loop (3.0.1), with its start-up race fixed; on the kernel's class path this class
 * comes before the kernel jar's own. Two faults made about one start in four hang ("Kernel didn't respond"):
 * the running flag was set only after the thread had started, so the loop could see it false and end at once;
 * and a message arriving before the kernel's handlers existed threw inside the loop and ended the thread. Here
 * the flag is set before the thread starts, and a failing loop body is logged and the loop goes on.
 */
public final class LoopThread extends Thread {
    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getName());

    private volatile boolean running;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, getName() + ": message handling failed; the channel keeps listening", e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
