#!/usr/bin/python3
"""Reference logits for the zoo's weight-fidelity test.

Every tensor of each torchvision network's state dict, and the input, is filled by a counter-based generator
that the Java test implements identically: value = f(seed, tensor name, index). So the committed fixture is only
the seed, the shapes and torchvision's logits; no weights are committed. The Java test generates the same tensors,
writes them as a safetensors file, loads that through the public loader and compares logits.

A second input checks the preprocessing path: an RGB image of side `resize` (so that torchvision's resize is the
identity and only its centre crop, scaling and normalisation act), pixel = floor(256 u("image", i)) in HWC order,
run through the default weights' own `transforms()`; its logits are `image_logits`.

GoogLeNet and Inception v3 are built with `transform_input=True`, as torchvision builds them for their published
weights.

Generator (all arithmetic modulo 2^64):
  mix(z)     = SplitMix64 finaliser of z + 0x9E3779B97F4A7C15
  key(name)  = mix(seed XOR fnv1a64(utf8(name)))
  u(name, i) = (mix(key(name) + i) >> 11) * 2^-53                  uniform in [0, 1)
  s(name, i) = 2 u - 1                                              uniform in [-1, 1)
Values by tensor:
  weights of rank >= 2 : s * sqrt(3 / fan_in), fan_in = product of all dimensions but the first
  1-d ".weight" (BN)  : 1 + 0.25 s
  ".bias"             : 0.1 s
  ".running_mean"     : 0.1 s
  ".running_var"      : 0.5 + u                                     (positive)
  the input "input"   : s
Values are computed in float64 and rounded once to float32.

Usage: /usr/bin/python3 tools/reference/torchvision_logits.py OUT_DIR [NETWORK ...]
"""
import json
import os
import sys

import numpy as np
import PIL.Image
import torch
import torchvision
from torchvision import models

SEED = 20261121
M = (1 << 64) - 1

NETWORKS = {
    "alexnet": (lambda: models.alexnet(), 224),
    "vgg16": (lambda: models.vgg16(), 224),
    "vgg19": (lambda: models.vgg19(), 224),
    "resnet18": (lambda: models.resnet18(), 224),
    "resnet34": (lambda: models.resnet34(), 224),
    "resnet50": (lambda: models.resnet50(), 224),
    "resnet101": (lambda: models.resnet101(), 224),
    "resnet152": (lambda: models.resnet152(), 224),
    "googlenet": (lambda: models.googlenet(aux_logits=False, init_weights=False, transform_input=True), 224),
    "inception_v3": (lambda: models.inception_v3(aux_logits=False, init_weights=False, transform_input=True), 299),
    "mobilenet_v2": (lambda: models.mobilenet_v2(), 224),
    "efficientnet_b0": (lambda: models.efficientnet_b0(), 224),
}


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & M
    return h


def mix(z):
    z = (z + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def mix_array(z):
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def uniform(name, count):
    key = np.uint64(mix(SEED ^ fnv1a64(name)))
    with np.errstate(over="ignore"):
        z = key + np.arange(count, dtype=np.uint64)
    return (mix_array(z) >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def tensor(name, shape):
    count = int(np.prod(shape)) if len(shape) else 1
    u = uniform(name, count)
    s = 2 * u - 1
    if name.endswith("running_var"):
        v = 0.5 + u
    elif name.endswith("running_mean") or name.endswith(".bias"):
        v = 0.1 * s
    elif name.endswith(".weight") and len(shape) == 1:
        v = 1 + 0.25 * s
    elif len(shape) >= 2:
        v = s * np.sqrt(3.0 / int(np.prod(shape[1:])))
    else:
        v = s
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def main(out_dir, names):
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(2)
    for name in names:
        build, size = NETWORKS[name]
        model = build().eval()
        state = {k: (tensor(k, tuple(v.shape)) if not k.endswith("num_batches_tracked") else v)
                 for k, v in model.state_dict().items()}
        model.load_state_dict(state)
        x = torch.from_numpy((2 * uniform("input", 2 * 3 * size * size) - 1).astype(np.float32)
                             .reshape(2, 3, size, size))
        weights = models.get_model_weights(name).DEFAULT
        transforms = weights.transforms()
        side = transforms.resize_size[0]
        pixels = np.floor(256 * uniform("image", side * side * 3)).astype(np.uint8).reshape(side, side, 3)
        image = transforms(PIL.Image.fromarray(pixels, "RGB")).unsqueeze(0)
        with torch.no_grad():
            logits = model(x).double().numpy()
            image_logits = model(image).double().numpy()
        fixture = {"network": name, "seed": SEED, "input": [2, 3, size, size],
                   "torchvision": torchvision.__version__, "torch": torch.__version__,
                   "logits": [[float("%.7g" % v) for v in row] for row in logits],
                   "weights": f"{name}.{weights.name}", "image_side": side,
                   "image_logits": [[float("%.7g" % v) for v in row] for row in image_logits]}
        path = os.path.join(out_dir, name + ".json")
        with open(path + ".tmp", "w") as f:
            json.dump(fixture, f)
        os.replace(path + ".tmp", path)
        print(f"{name}: max |logit| {np.abs(logits).max():.4g}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or list(NETWORKS))
