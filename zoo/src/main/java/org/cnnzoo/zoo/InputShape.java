package org.cnnzoo.zoo;

/** A network's image input: height, width and channels (images enter channels-first, N x C x H x W). */
public record InputShape(int height, int width, int channels) {
    public InputShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("an input needs positive height, width and channels, got "
                    + height + "x" + width + "x" + channels);
        }
    }

    /** A square RGB input. */
    public static InputShape rgb(int side) {
        return new InputShape(side, side, 3);
    }

    /** {@code H,W,C} as the command line writes it. @throws IllegalArgumentException saying the expected form */
    public static InputShape parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("input must be H,W,C (e.g. 224,224,3), got '" + text + "'");
        }
        try {
            return new InputShape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("input must be three whole numbers H,W,C, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
