/**
 * Datasets: image folders (one sub-folder per class), Fashion-MNIST, MNIST and CIFAR-10 formats, stratified splits,
 * checksums and the embedded default set, all as DL4J iterators. Filled by the datasets issue; the module exists now
 * so that the build's layout is the final one.
 */
package org.cnnzoo.datasets;
