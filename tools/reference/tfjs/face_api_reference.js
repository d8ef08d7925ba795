// Reference outputs of face-api's networks computed by face-api itself (TensorFlow.js, pure-JS CPU backend, in
// node, with the weights the npm package ships).
//
//   node face_api_reference.js OUT.json INPUT_SIZE IMAGE.npy...
//
// Each IMAGE.npy is a picture as raw RGB bytes (uint8, height x width x 3), decoded by the caller so that both sides
// see the same pixels. OUT.json holds, per picture, the tiny face detector's raw output volume at INPUT_SIZE
// (channels-last, as TF.js returns it) and the faces face-api's detect() keeps (score threshold 0.5), in pixels;
// and the 68 landmarks of face_landmark_68 on the whole picture (its raw output, and the points in pixels).
'use strict';
const fs = require('fs');
const path = require('path');
const { faceapi, tf, readImage, load } = require('./face_api_io');

const [outFile, inputSizeArg, ...images] = process.argv.slice(2);
if (!outFile || !inputSizeArg || images.length === 0) {
  console.error('usage: node face_api_reference.js OUT.json INPUT_SIZE IMAGE.npy...');
  process.exit(2);
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const inputSize = Number(inputSizeArg);
  const detector = load(new faceapi.TinyFaceDetector(), 'tiny_face_detector_model');
  const landmarks = load(new faceapi.FaceLandmark68Net(), 'face_landmark_68_model');
  const results = [];
  for (const file of images) {
    const image = readImage(file);
    const [height, width] = image.shape;
    const input = await faceapi.toNetInput(image);
    const volume = detector.forwardInput(input, inputSize);
    const faces = await detector.locateFaces(image, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 }));
    const raw = landmarks.runNet(await faceapi.toNetInput(image));
    const points = await landmarks.detectLandmarks(image);
    results.push({
      image: path.basename(file),
      width,
      height,
      volumeShape: volume.shape,
      volume: Array.from(await volume.data()),
      faces: faces.map(f => ({ x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height, score: f.score })),
      landmarksRaw: Array.from(await raw.data()),
      landmarks: points.positions.map(p => [p.x, p.y]),
    });
    tf.dispose([image, volume, raw]);
  }
  fs.writeFileSync(outFile, JSON.stringify({ package: '@vladmandic/face-api@1.7.15', backend: tf.getBackend(), inputSize, results }));
}

main().catch(e => { console.error(e); process.exit(1); });
