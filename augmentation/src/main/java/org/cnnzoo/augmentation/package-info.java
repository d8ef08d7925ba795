/**
 * Augmentation: a seeded DataVec image-transform pipeline (mirroring, random cropping, rotation, shearing, colour
 * shifting, local warping) written as a short spec. Filled by the augmentation issue; the module exists now so that
 * the build's layout is the final one.
 */
package org.cnnzoo.augmentation;
