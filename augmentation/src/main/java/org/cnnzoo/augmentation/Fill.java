package org.cnnzoo.augmentation;

import org.bytedeco.opencv.global.opencv_core;

/** What fills the corners that a rotation or shear uncovers. */
public enum Fill {
    /** Black. */
    CONSTANT(opencv_core.BORDER_CONSTANT),
    /** The image mirrored at its edge. */
    REFLECT(opencv_core.BORDER_REFLECT_101),
    /** The edge pixels repeated. */
    REPLICATE(opencv_core.BORDER_REPLICATE);

    final int border;

    Fill(int border) {
        this.border = border;
    }
}
