"""Writes a TF.js layers model (model.json + shards) as a Keras 2 HDF5 file, with numpy and h5py only.

    python3 tfjs_to_keras_h5.py MODEL_JSON OUT_H5
    python3 tfjs_to_keras_h5.py MODEL_JSON OUT_H5 --weights-only TOPOLOGY_JSON [--random LAYER/PARAM=D1,D2 ...]

The second form writes what Keras' save_weights() writes (and Keras Applications publish): no architecture,
one group per layer of TOPOLOGY_JSON at the root. Tensors the TF.js model lacks are drawn from a fixed seed
with the shapes given by --random.

The layout is what Keras' model.save() writes: the model config and Keras version as root attributes, and under
model_weights one group per layer holding its tensors as 'LAYER/PARAM:0' with the layer's weight_names. Quantised
weights are expanded here (q * scale + min), independently of the Java reader, so importing both files checks one
dequantisation against the other.
"""
import json
import os
import sys

import h5py
import numpy as np

STORED = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16, "float32": np.float32, "int32": np.int32}


def tensors(model_json):
    with open(model_json) as f:
        model = json.load(f)
    folder = os.path.dirname(os.path.abspath(model_json))
    for group in model["weightsManifest"]:
        data = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            q = spec.get("quantization")
            stored = np.dtype(STORED[q["dtype"] if q else spec.get("dtype", "float32")]).newbyteorder("<")
            count = int(np.prod(spec["shape"], dtype=np.int64))
            raw = np.frombuffer(data, dtype=stored, count=count, offset=offset)
            offset += count * stored.itemsize
            values = raw.astype(np.float64) * q.get("scale", 1) + q.get("min", 0) if q and "scale" in q else raw
            yield spec["name"], values.astype(np.float32).reshape(spec["shape"])
        if offset != len(data):
            raise ValueError("%d bytes of %s are not in the manifest" % (len(data) - offset, group["paths"]))
    return model


def real_max_values(node):
    """Keras writes ReLU's max_value as a float (6.0); the TF.js converter wrote an int."""
    if isinstance(node, dict):
        if isinstance(node.get("max_value"), int):
            node["max_value"] = float(node["max_value"])
        for v in node.values():
            real_max_values(v)
    elif isinstance(node, list):
        for v in node:
            real_max_values(v)


def main(model_json, out_h5):
    with open(model_json) as f:
        topology = json.load(f)["modelTopology"]
    config = topology.get("model_config", topology)
    real_max_values(config)
    by_layer = {}
    for name, value in tensors(model_json):
        layer, param = name.rsplit("/", 1)
        by_layer.setdefault(layer, []).append((param, value))
    layer_names = [layer["config"]["name"] for layer in config["config"]["layers"]]
    # libver="latest" stores attributes densely: the model config is larger than 64 KB, the compact limit
    with h5py.File(out_h5, "w", libver="latest") as h5:
        h5.attrs["keras_version"] = np.bytes_(topology.get("keras_version", "2.2.4"))
        h5.attrs["backend"] = np.bytes_(topology.get("backend", "tensorflow"))
        h5.attrs["model_config"] = np.bytes_(json.dumps(config))
        weights = h5.create_group("model_weights")
        weights.attrs["layer_names"] = [np.bytes_(n) for n in layer_names]
        weights.attrs["keras_version"] = np.bytes_(topology.get("keras_version", "2.2.4"))
        weights.attrs["backend"] = np.bytes_(topology.get("backend", "tensorflow"))
        for layer in layer_names:
            group = weights.create_group(layer)
            params = by_layer.pop(layer, [])
            group.attrs["weight_names"] = [np.bytes_("%s/%s:0" % (layer, p)) for p, _ in params]
            for p, value in params:
                group.create_dataset("%s/%s:0" % (layer, p), data=value)
    if by_layer:
        raise ValueError("weights of no layer: %s" % sorted(by_layer))


def weights_only(model_json, out_h5, topology_json, randoms):
    with open(topology_json) as f:
        config = json.load(f)
    available = dict(tensors(model_json))
    rng = np.random.RandomState(20261121)
    for spec in randoms:
        name, dims = spec.split("=")
        available[name] = (rng.standard_normal([int(d) for d in dims.split(",")]) * 0.01).astype(np.float32)
    layer_names = [layer["config"]["name"] for layer in config["config"]["layers"]]
    with h5py.File(out_h5, "w", libver="latest") as h5:
        h5.attrs["layer_names"] = [np.bytes_(n) for n in layer_names]
        h5.attrs["keras_version"] = np.bytes_(config.get("keras_version", "2.2.4"))
        h5.attrs["backend"] = np.bytes_("tensorflow")
        for layer in layer_names:
            group = h5.create_group(layer)
            params = [(name.split("/", 1)[1], value) for name, value in available.items()
                      if name.split("/", 1)[0] == layer]
            group.attrs["weight_names"] = [np.bytes_("%s/%s:0" % (layer, p)) for p, _ in params]
            for p, value in params:
                group.create_dataset("%s/%s:0" % (layer, p), data=value)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        main(sys.argv[1], sys.argv[2])
    elif len(sys.argv) >= 5 and sys.argv[3] == "--weights-only":
        extra = sys.argv[5:]
        if any(a != "--random" for a in extra[0::2]) or len(extra) % 2:
            sys.exit("after the topology only --random LAYER/PARAM=D1,D2 pairs")
        weights_only(sys.argv[1], sys.argv[2], sys.argv[4], extra[1::2])
    else:
        sys.exit(__doc__)
