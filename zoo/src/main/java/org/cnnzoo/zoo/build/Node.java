package org.cnnzoo.zoo.build;

/**
 * A named activation in a graph under construction: the vertex that produces it and its shape (channels, depth,
 * height, width). Images have depth 1; sequences have depth and height 1 and their length as width; flat
 * (feed-forward) activations have 1 everywhere but channels.
 */
public record Node(String name, int channels, int depth, int height, int width) {

    /** An image activation: channels x height x width. */
    public Node(String name, int channels, int height, int width) {
        this(name, channels, 1, height, width);
    }

    /** A flat (feed-forward) activation of the given size. */
    public static Node flat(String name, int size) {
        return new Node(name, size, 1, 1);
    }

    /** A sequence activation: channels x length. */
    public static Node sequence(String name, int channels, int length) {
        return new Node(name, channels, 1, 1, length);
    }

    /** The length of a sequence activation. */
    public int length() {
        return width;
    }

    Node renamed(String newName) {
        return new Node(newName, channels, depth, height, width);
    }

    Node withChannels(String newName, int newChannels) {
        return new Node(newName, newChannels, depth, height, width);
    }

    @Override
    public String toString() {
        return name + "[" + channels + "x" + (depth > 1 ? depth + "x" : "") + height + "x" + width + "]";
    }
}
