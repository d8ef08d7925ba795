#!/usr/bin/python3
"""Writes the reference state-dict layout of every torchvision network the zoo mirrors.

For each network one TSV file: a header with the trainable parameter count, then one line per tensor
(name, kind, shape), where kind is `param` (trainable) or `buffer` (BatchNorm running statistics;
`num_batches_tracked` is left out because DL4J has no such value). The zoo's tests check that every
vertex parameter maps onto exactly these names and shapes, which is what makes weight loading a lookup.

Usage (Debian's python3-torchvision 0.14, CPU):  /usr/bin/python3 tools/reference/torchvision_state_dicts.py OUT_DIR
"""
import os
import sys

import torch
import torchvision
from torchvision import models

# name in the zoo -> constructor with the arguments that give torchvision's reference layout
NETWORKS = {
    "alexnet": lambda: models.alexnet(),
    "vgg16": lambda: models.vgg16(),
    "vgg19": lambda: models.vgg19(),
    "resnet18": lambda: models.resnet18(),
    "resnet34": lambda: models.resnet34(),
    "resnet50": lambda: models.resnet50(),
    "resnet101": lambda: models.resnet101(),
    "resnet152": lambda: models.resnet152(),
    "googlenet": lambda: models.googlenet(aux_logits=False, init_weights=False),
    "googlenet-aux": lambda: models.googlenet(aux_logits=True, init_weights=False),
    "inception_v3": lambda: models.inception_v3(aux_logits=False, init_weights=False),
    "inception_v3-aux": lambda: models.inception_v3(aux_logits=True, init_weights=False),
    "mobilenet_v2": lambda: models.mobilenet_v2(),
    **{f"efficientnet_b{i}": (lambda i=i: getattr(models, f"efficientnet_b{i}")()) for i in range(8)},
}


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    for name, build in NETWORKS.items():
        model = build().eval()
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        param_names = {n for n, _ in model.named_parameters()}
        lines = [f"# torchvision {torchvision.__version__} {name}", f"# trainable\t{trainable}"]
        for key, tensor in model.state_dict().items():
            if key.endswith("num_batches_tracked"):
                continue
            kind = "param" if key in param_names else "buffer"
            lines.append(f"{key}\t{kind}\t{'x'.join(str(d) for d in tensor.shape)}")
        path = os.path.join(out_dir, f"{name}.tsv")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, path)
        print(f"{name}: {trainable} trainable parameters, {len(lines) - 2} tensors")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "zoo/src/test/resources/reference/torchvision")
