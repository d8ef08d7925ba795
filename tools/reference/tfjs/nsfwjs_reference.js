// Reference outputs of nsfwjs's MobileNetV2 computed by TensorFlow.js itself (pure-JS CPU backend, in node).
//
//   node nsfwjs_reference.js OUT_DIR INPUTS.npy
//
// Writes into OUT_DIR the model as a standard TF.js layers model (model.json + group1-shard1of1.bin, unwrapped
// from the JS files the npm package ships), and reference.json: for every image of INPUTS.npy (float32, N x 224 x
// 224 x 3, values in [0, 1]) the activations of the first dense layer after the convolutional part (dense_1)
// and the class probabilities.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const [outDir, inputsFile] = process.argv.slice(2);
if (!outDir || !inputsFile) {
  console.error('usage: node nsfwjs_reference.js OUT_DIR INPUTS.npy');
  process.exit(2);
}
const { model, shard } = require('./unpack_nsfwjs.js').unpack(outDir);

/** A little-endian float32 .npy file as a tensor. */
function readNpy(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  if (!header.includes("'descr': '<f4'") || header.includes("'fortran_order': True")) {
    throw new Error(file + ': expected a C-order little-endian float32 array, header ' + header);
  }
  const shape = header.match(/'shape': \(([^)]*)\)/)[1].split(',').filter(s => s.trim()).map(Number);
  const start = 10 + headerLength;
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length));
  return tf.tensor(data, shape, 'float32');
}

async function main() {
  await tf.setBackend('cpu');
  const weightData = new Uint8Array(shard).buffer;
  const layers = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest.flatMap(group => group.weights),
    weightData,
  }));
  const hidden = layers.getLayer('dense_1');
  const probe = tf.model({ inputs: layers.inputs, outputs: [hidden.output, layers.outputs[0]] });
  const inputs = readNpy(inputsFile);
  const [features, probabilities] = probe.predict(inputs);
  const reference = {
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    features_layer: hidden.name,
    output: layers.outputs[0].name.split('/')[0],
    features: await features.array(),
    probabilities: await probabilities.array(),
  };
  fs.writeFileSync(path.join(outDir, 'reference.json'), JSON.stringify(reference));
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
