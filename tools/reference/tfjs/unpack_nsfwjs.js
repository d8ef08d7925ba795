// Writes nsfwjs's MobileNetV2 as a standard TF.js layers model (model.json + group1-shard1of1.bin), unwrapped from
// the JavaScript files the npm package ships, and its class names (labels.txt).
//
//   node unpack_nsfwjs.js OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const LABELS = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

function unpack(outDir) {
  const pkg = path.join(__dirname, 'node_modules', 'nsfwjs', 'dist', 'models', 'mobilenet_v2');
  const model = require(path.join(pkg, 'model.min.js'));
  const shard = Buffer.from(require(path.join(pkg, 'group1-shard1of1.min.js')), 'base64');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'group1-shard1of1.bin'), shard);
  // the package names its shard without an extension; converters write group1-shard1of1.bin
  const manifest = model.weightsManifest.map(group => ({ ...group, paths: ['group1-shard1of1.bin'] }));
  fs.writeFileSync(path.join(outDir, 'model.json'),
    JSON.stringify({ modelTopology: model.modelTopology, weightsManifest: manifest }));
  fs.writeFileSync(path.join(outDir, 'labels.txt'), LABELS.join('\n') + '\n');
  return { model, shard };
}

module.exports = { unpack };

if (require.main === module) {
  if (!process.argv[2]) {
    console.error('usage: node unpack_nsfwjs.js OUT_DIR');
    process.exit(2);
  }
  unpack(process.argv[2]);
}
