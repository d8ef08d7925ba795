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
const { faceapi, tf, readImage, load } = require('./face_api_io');

const [outFile, ...images] = process.argv.slice(2);
if (!outFile || images.length === 0) {
  console.error('usage: node face_recognition_reference.js OUT.json IMAGE.npy...');
  process.exit(2);
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
