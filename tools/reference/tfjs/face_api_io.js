// What the face-api reference scripts share: pictures read from the .npy files the Java tests write, and face-api's
// networks loaded with the npm package's weights as face-api's own loader reads them.
'use strict';
const fs = require('fs');
const path = require('path');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const tf = faceapi.tf;
const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');

/** A little-endian uint8 .npy file of shape (h, w, 3) as a tensor3d. */
function readImage(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  if (!header.includes("'descr': '|u1'") || header.includes("'fortran_order': True")) {
    throw new Error(file + ': expected a C-order uint8 array, header ' + header);
  }
  const shape = header.match(/'shape': \(([^)]*)\)/)[1].split(',').filter(s => s.trim()).map(Number);
  const start = 10 + headerLength;
  return tf.tensor3d(new Uint8Array(bytes.buffer, bytes.byteOffset + start, bytes.length - start), shape, 'int32');
}

/** A face-api network with the package's weights for its manifest NAME-weights_manifest.json. */
function load(net, name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, name + '-weights_manifest.json'), 'utf8'));
  const specs = manifest.flatMap(group => group.weights);
  const buffer = Buffer.concat(manifest.flatMap(group => group.paths).map(p => fs.readFileSync(path.join(modelDir, p))));
  net.loadFromWeightMap(tf.io.decodeWeights(new Uint8Array(buffer).buffer, specs));
  return net;
}

module.exports = { faceapi, tf, readImage, load };
