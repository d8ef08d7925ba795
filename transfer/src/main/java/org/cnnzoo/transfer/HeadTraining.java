package org.cnnzoo.transfer;

/** How the new head is trained on the frozen features: its shape, epochs, early-stopping patience, learning rate. */
public record HeadTraining(Head head, int epochs, int patience, double learningRate) {
    public static final HeadTraining DEFAULT = new HeadTraining(Head.LINEAR, 30, 5, 1e-3);

    public HeadTraining withHead(Head other) {
        return new HeadTraining(other, epochs, patience, learningRate);
    }

    public HeadTraining withEpochs(int count) {
        return new HeadTraining(head, count, patience, learningRate);
    }

    public HeadTraining withPatience(int count) {
        return new HeadTraining(head, epochs, count, learningRate);
    }

    public HeadTraining withLearningRate(double rate) {
        return new HeadTraining(head, epochs, patience, rate);
    }
}
