#!/usr/bin/python3
"""Writes seeded torchvision checkpoints with torch.save, as the published ones are laid out, for the loader's tests.

Every tensor is the counter-based generator's (see torchvision_logits.py, whose committed logits they must give),
so no weight file is committed: CI writes these again each run. Each network's state dict has the keys of its
published checkpoint: Inception v3's includes the auxiliary classifier (AuxLogits.*), GoogLeNet's has none, batch
norms keep num_batches_tracked. Zip format for all; also the legacy stream for the networks named by --legacy.

Usage: /usr/bin/python3 tools/reference/torchvision_checkpoints.py OUT_DIR [--legacy resnet18,mobilenet_v2]
"""
import os
import sys

import torch
from torchvision import models

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torchvision_logits import NETWORKS, tensor  # noqa: E402

# the layout of each published checkpoint, where it differs from the network as used for inference
PUBLISHED = {
    "googlenet": lambda: models.googlenet(aux_logits=False, init_weights=False),
    "inception_v3": lambda: models.inception_v3(aux_logits=True, init_weights=False),
}


def state_dict(name):
    build = PUBLISHED.get(name, NETWORKS[name][0])
    return {k: (tensor(k, tuple(v.shape)) if not k.endswith("num_batches_tracked") else v)
            for k, v in build().state_dict().items()}


def main(out, legacy):
    os.makedirs(out, exist_ok=True)
    for name in NETWORKS:
        state = state_dict(name)
        path = os.path.join(out, name + ".pth")
        torch.save(state, path + ".tmp")
        os.replace(path + ".tmp", path)
        if name in legacy:
            path = os.path.join(out, name + "-legacy.pth")
            torch.save(state, path + ".tmp", _use_new_zipfile_serialization=False)
            os.replace(path + ".tmp", path)
        print(f"{name}: {len(state)} tensors")


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = ["resnet18", "mobilenet_v2"]
    if "--legacy" in args:
        i = args.index("--legacy")
        chosen = args[i + 1].split(",")
        del args[i:i + 2]
    main(args[0], chosen)
