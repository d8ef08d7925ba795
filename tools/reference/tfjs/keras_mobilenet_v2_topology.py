"""Writes the topology of Keras Applications' MobileNetV2 (alpha 1.0, 224x224, with its ImageNet classifier).

    python3 keras_mobilenet_v2_topology.py NSFWJS_MODEL_JSON OUT_JSON

Keras Applications publish MobileNetV2 weights as a weights-only HDF5 file, which DL4J can import only beside
the model's architecture. nsfwjs's model is that same network (Keras 2.2.4) up to its last activation
'out_relu', with a custom classifier after it; this keeps everything up to 'out_relu' and puts back Keras
Applications' own top: GlobalAveragePooling2D, then Dense 'Logits' (1000, softmax). ReLU's max_value is written
as a float, as Keras writes it.
"""
import json
import sys

from tfjs_to_keras_h5 import real_max_values


def main(model_json, out_json):
    with open(model_json) as f:
        topology = json.load(f)["modelTopology"]
    config = topology["model_config"]
    layers = config["config"]["layers"]
    last = next(i for i, layer in enumerate(layers) if layer["name"] == "out_relu")
    kept = layers[:last + 1]
    for layer in kept:
        layer["config"]["trainable"] = True
    kept.append({"name": "global_average_pooling2d_1", "class_name": "GlobalAveragePooling2D",
                 "config": {"name": "global_average_pooling2d_1", "trainable": True, "data_format": "channels_last"},
                 "inbound_nodes": [[["out_relu", 0, 0, {}]]]})
    zeros = {"class_name": "Zeros", "config": {}}
    kept.append({"name": "Logits", "class_name": "Dense",
                 "config": {"name": "Logits", "trainable": True, "units": 1000, "activation": "softmax",
                            "use_bias": True, "kernel_initializer": zeros, "bias_initializer": zeros,
                            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                            "kernel_constraint": None, "bias_constraint": None},
                 "inbound_nodes": [[["global_average_pooling2d_1", 0, 0, {}]]]})
    model = {"class_name": "Model",
             "config": {"name": "mobilenetv2_1.00_224", "layers": kept, "input_layers": [["input_1", 0, 0]],
                        "output_layers": [["Logits", 0, 0]]},
             "keras_version": topology.get("keras_version", "2.2.4"), "backend": "tensorflow"}
    real_max_values(model)
    with open(out_json, "w") as f:
        json.dump(model, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python3 keras_mobilenet_v2_topology.py NSFWJS_MODEL_JSON OUT_JSON")
    main(sys.argv[1], sys.argv[2])
