/**
 * Transfer learning: freezing up to a block, a new head, a feature cache on disk, head training and fine-tuning,
 * evaluation, multi-crop and ensembles. Filled by the transfer issue; the module exists now so that the build's
 * layout is the final one.
 */
package org.cnnzoo.transfer;
