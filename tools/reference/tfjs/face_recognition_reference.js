// Reference face descriptors computed by face-api itself (TensorFlow.js, pure-JS CPU backend, in node, with the
// weights the npm package ships).
//
//   node face_recognition_reference.js OUT.json IMAGE.npy...
//
// Each IMAGE.npy is a picture as raw RGB bytes (uint8, height x width x 3), decoded by the caller so that both sides
// see the same pixels. OUT.json holds, per picture, the 128-d descriptor of the whole picture taken as a face, and
// face-api's full pipeline on it: detectAllFaces (tiny face detector at 416, score 0.5) .withFaceLandmarks()
// .withFaceDescriptors(), giving per face the detection box, the box the descriptor was computed on (face-api's
// dlib-style box from the eyes and mouth) and the descriptor.
'use strict';
const fs = require('fs');
const path = require('path');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const [outFile, ...images] = process.argv.slice(2);
if (!outFile || images.length === 0) {
  console.error('usage: node face_recognition_reference.js OUT.json IMAGE.npy...');
  process.exit(2);
}
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

/** One of face-api's global networks with the package's weights, read as face-api's own loader reads them. */
function load(net, name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, name + '-weights_manifest.json'), 'utf8'));
  const specs = manifest.flatMap(group => group.weights);
  const buffer = Buffer.concat(manifest.flatMap(group => group.paths).map(p => fs.readFileSync(path.join(modelDir, p))));
  net.loadFromWeightMap(tf.io.decodeWeights(new Uint8Array(buffer).buffer, specs));
}

const box = b => ({ x: b.x, y: b.y, width: b.width, height: b.height });

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  load(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  load(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
  load(faceapi.nets.faceRecognitionNet, 'face_recognition_model');
  const results = [];
  for (const file of images) {
    const image = readImage(file);
    const [height, width] = image.shape;
    const whole = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(image);
    const faces = await faceapi.detectAllFaces(image, new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 }))
      .withFaceLandmarks().withFaceDescriptors();
    results.push({
      image: path.basename(file),
      width,
      height,
      descriptor: Array.from(whole),
      faces: faces.map(f => ({
        score: f.detection.score,
        box: box(f.detection.box),
        descriptorBox: box(f.landmarks.align(null, { useDlibAlignment: true })),
        descriptor: Array.from(f.descriptor),
      })),
    });
    tf.dispose(image);
  }
  fs.writeFileSync(outFile, JSON.stringify({ package: '@vladmandic/face-api@1.7.15', backend: tf.getBackend(), results }));
}

main().catch(e => { console.error(e); process.exit(1); });
