#!/usr/bin/python3
"""Writes torchvision's weight catalogue for the zoo's networks as data (the store's entries).

Every entry comes from torchvision's own weight enums: URL, the SHA-256 prefix in the file name, the preprocessing
of `weights.transforms()` (resize, crop, interpolation, mean, std), the metrics and parameter count of `meta`, and
what the builder changes when it is given weights (GoogLeNet's and Inception v3's `transform_input`, the
auxiliary classifiers it keeps or drops, batch-norm eps). Those are read off the model the builder returns, with
the download replaced by nothing (no state dict is loaded). Multiply-adds are counted on that model at the crop
size: one per weight of every convolution and linear layer per output position, as later torchvision releases
report "GFLOPS".

The committed file is checked against a fresh run by the zoo's ReferenceFixturesTest, so it cannot drift from the
installed torchvision.

Usage (Debian's python3-torchvision 0.14):
  /usr/bin/python3 tools/reference/torchvision_weights.py zoo/src/main/resources/org/cnnzoo/zoo/torchvision-weights.json
"""
import json
import math
import os
import re
import sys

import torch
import torchvision
from torchvision import models
from torchvision.models import _api

# the zoo's networks that torchvision publishes weights for, in the zoo's order; the names are the same
NETWORKS = ["alexnet", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
            "googlenet", "inception_v3", "mobilenet_v2"] + [f"efficientnet_b{i}" for i in range(8)]

LICENCE = "BSD-3-Clause (torchvision's code); trained on ImageNet-1k, whose terms apply to your use"


class _NoDownload:
    """Stands in for a state dict so that a builder can be called with weights without fetching them."""


def built_with(name, weights):
    """The model exactly as torchvision's builder returns it for these weights (parameters left at init)."""
    original_get = _api.WeightsEnum.get_state_dict
    original_load = torch.nn.Module.load_state_dict
    _api.WeightsEnum.get_state_dict = lambda self, *a, **k: _NoDownload()
    torch.nn.Module.load_state_dict = (lambda self, state, *a, **k: None if isinstance(state, _NoDownload)
                                       else original_load(self, state, *a, **k))
    try:
        return models.get_model(name, weights=weights).eval()
    finally:
        _api.WeightsEnum.get_state_dict = original_get
        torch.nn.Module.load_state_dict = original_load


def multiply_adds(model, size):
    total = [0]

    def hook(module, inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            per_output = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
            total[0] += output.numel() * per_output
        elif isinstance(module, torch.nn.Linear):
            total[0] += output.numel() * module.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return total[0]


def number(value):
    """JSON has no NaN: a metric torchvision gives as NaN (features-only weights) is left out."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def entry(name, weights, default):
    t = weights.transforms()
    model = built_with(name, weights)
    file = weights.url.rsplit("/", 1)[1]
    prefix = re.search(r"-([0-9a-f]{8})\.pth$", file)
    if prefix is None:
        raise SystemExit(f"{file}: no SHA-256 prefix in the file name")
    metrics = weights.meta.get("_metrics", {}).get("ImageNet-1K", {})
    eps = sorted({m.eps for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)})
    build = {}
    if getattr(model, "transform_input", False):
        build["transformInput"] = True
    metadata = {
        "top1": number(metrics.get("acc@1")),
        "top5": number(metrics.get("acc@5")),
        "params": weights.meta["num_params"],
        "gmacs": round(multiply_adds(model, t.crop_size[0]) / 1e9, 3),
        "recipe": weights.meta.get("recipe"),
        "source": f"torchvision {torchvision.__version__} {type(weights).__name__}.{weights.name}",
        "docs": " ".join(weights.meta.get("_docs", "").split()) or None,
    }
    if eps:
        metadata["batchNormEps"] = eps
    classes = weights.meta.get("categories")
    return {
        "id": f"{name}.{weights.name}",
        "aliases": [name, f"{name}.DEFAULT"] if default else [],
        "architecture": name,
        "format": "pytorch",
        "url": weights.url,
        "sha256": None,
        "sha256Prefix": prefix.group(1),
        "size": None,
        "licence": LICENCE,
        "preprocessing": {
            "resize": t.resize_size[0], "crop": t.crop_size[0], "interpolation": t.interpolation.value,
            "mean": list(t.mean), "std": [float(s) for s in t.std], "channels": "RGB", "range": "0-1"},
        "metadata": {k: v for k, v in metadata.items() if v is not None},
        "build": build,
        # torchvision's own words for weights whose classifier is not usable (NaN)
        "backboneOnly": classes is None,
    }


def main(out):
    entries = []
    for name in NETWORKS:
        enum = models.get_model_weights(name)
        for weights in enum:
            entries.append(entry(name, weights, weights is enum.DEFAULT))
    catalogue = {
        "about": "torchvision's published ImageNet weights for the zoo's networks, written by "
                 "tools/reference/torchvision_weights.py from torchvision " + torchvision.__version__
                 + "; do not edit by hand.",
        "entries": entries,
    }
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(catalogue, f, indent=1)
        f.write("\n")
    os.replace(tmp, out)
    for e in entries:
        print(f"{e['id']:32} {e['metadata'].get('top1', '-'):>7} {e['metadata']['gmacs']:>8} GMACs")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "zoo/src/main/resources/org/cnnzoo/zoo/torchvision-weights.json")
