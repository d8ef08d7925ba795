package org.cnnzoo.zoo.build;

/**
 * A named activation in a graph under construction: the vertex that produces it and its shape (channels,
 * height, width; height and width are 1 for flat activations).
 */
public record Node(String name, int channels, int height, int width) {

    /** A flat (feed-forward) activation of the given size. */
    public static Node flat(String name, int size) {
        return new Node(name, size, 1, 1);
    }

    Node renamed(String newName) {
        return new Node(newName, channels, height, width);
    }

    Node withChannels(String newName, int newChannels) {
        return new Node(newName, newChannels, height, width);
    }

    @Override
    public String toString() {
        return name + "[" + channels + "x" + height + "x" + width + "]";
    }
}
