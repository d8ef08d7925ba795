"""Neural style transfer's costs and input gradient in PyTorch, on a Keras network read from its TF.js files: the
reference for cnnzoo's style module (same network, same weights, autograd instead of DL4J's backward pass).

    python3 keras_style_reference.py costs MODEL_JSON PICTURES_NPY SPEC_JSON OUT_DIR
    python3 keras_style_reference.py bench MODEL_JSON PICTURES_NPY SPEC_JSON STEPS THREADS

PICTURES_NPY holds three RGB pictures in [0, 1], 3 x 3 x H x W: content, style, generated. SPEC_JSON gives the
layers and weights: {"content": L, "style": [[L, lambda], ...], "alpha": a, "beta": b, "variation": t,
"mean": m, "std": s, "lr": r, "double": false}. The network's input is (picture - mean) / std; with "double"
everything is computed in float64.

costs writes OUT_DIR/costs.json (J, J_content, J_style, TV of the generated picture) and OUT_DIR/gradient.npy
(dJ/dpicture). bench runs STEPS Adam steps from the generated picture, clipping to [0, 1], and prints a JSON
line with the steps per second after one warm-up step.

The costs follow the course: J_content = sum((aC - aG)^2) / (4 nH nW nC), J_style per layer = sum((GS - GG)^2) /
(2 nH nW nC)^2 with G = A A^T, TV = sum of squared neighbour differences.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfjs_to_keras_h5 import tensors  # noqa: E402


class KerasGraph(torch.nn.Module):
    """The layers of a Keras functional model that the wanted outputs depend on, run channels-first."""

    def __init__(self, model_json, outputs):
        super().__init__()
        with open(model_json) as f:
            topology = json.load(f)["modelTopology"]
        config = topology.get("model_config", topology)["config"]
        self.layers = {}
        self.inputs = {}
        for layer in config["layers"]:
            name = layer["config"]["name"]
            self.layers[name] = (layer["class_name"], layer["config"])
            nodes = layer.get("inbound_nodes", [])
            self.inputs[name] = [n[0] for n in nodes[0]] if nodes else []
        self.weights = {}
        for name, value in tensors(model_json):
            layer, param = name.rsplit("/", 1)
            self.weights.setdefault(layer, {})[param.split(":")[0]] = torch.from_numpy(np.array(value, dtype=np.float32))
        needed, order = set(), []

        def visit(n):
            if n in needed:
                return
            needed.add(n)
            for i in self.inputs[n]:
                visit(i)
            order.append(n)

        for o in outputs:
            visit(o)
        self.order = order
        self.outputs = outputs

    def layer(self, name, x):
        kind, cfg = self.layers[name]
        w = self.weights.get(name, {})
        if kind == "InputLayer":
            return x[0]
        if kind == "ZeroPadding2D":
            (top, bottom), (left, right) = cfg["padding"]
            return F.pad(x[0], (left, right, top, bottom))
        if kind in ("Conv2D", "DepthwiseConv2D"):
            k = w["kernel"] if kind == "Conv2D" else w["depthwise_kernel"]
            if kind == "Conv2D":
                kernel, groups = k.permute(3, 2, 0, 1), 1
            else:
                kernel, groups = k.permute(2, 3, 0, 1).reshape(-1, 1, k.shape[0], k.shape[1]), k.shape[2]
            stride = cfg["strides"][0]
            inp = x[0]
            if cfg["padding"] == "same":
                pads = []
                for size, kk in ((inp.shape[3], kernel.shape[3]), (inp.shape[2], kernel.shape[2])):
                    total = max((math.ceil(size / stride) - 1) * stride + kk - size, 0)
                    pads += [total // 2, total - total // 2]
                inp = F.pad(inp, pads)
            y = F.conv2d(inp, kernel, w.get("bias"), stride=stride, groups=groups)
            return activation(cfg.get("activation", "linear"), y)
        if kind == "BatchNormalization":
            scale = w["gamma"] / torch.sqrt(w["moving_variance"] + cfg["epsilon"])
            shift = w["beta"] - w["moving_mean"] * scale
            return x[0] * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1)
        if kind == "ReLU":
            y = torch.relu(x[0])
            return torch.clamp(y, max=cfg["max_value"]) if cfg.get("max_value") is not None else y
        if kind == "Activation":
            return activation(cfg["activation"], x[0])
        if kind == "Add":
            return sum(x)
        raise ValueError("layer %s of kind %s is not supported here" % (name, kind))

    def forward(self, image):
        values = {}
        for name in self.order:
            ins = [values[i] for i in self.inputs[name]] or [image]
            values[name] = self.layer(name, ins)
        return [values[o] for o in self.outputs]


def activation(name, y):
    if name == "linear":
        return y
    if name == "relu":
        return torch.relu(y)
    raise ValueError("activation %s is not supported here" % name)


def gram(a):
    c = a.shape[1]
    m = a.reshape(c, -1)
    return m @ m.t()


def costs(net, spec, targets, picture):
    mean, std = spec["mean"], spec["std"]
    acts = net((picture - mean) / std)
    names = net.outputs
    content_target, style_grams = targets
    ag = acts[names.index(spec["content"])]
    j_content = ((ag - content_target) ** 2).sum() / (4 * ag.numel())
    j_style = 0
    for (layer, weight), target in zip(spec["style"], style_grams):
        a = acts[names.index(layer)]
        j_style = j_style + weight * ((gram(a) - target) ** 2).sum() / (2 * a.numel()) ** 2
    tv = ((picture[:, :, 1:, :] - picture[:, :, :-1, :]) ** 2).sum() + \
        ((picture[:, :, :, 1:] - picture[:, :, :, :-1]) ** 2).sum()
    total = spec["alpha"] * j_content + spec["beta"] * j_style + spec["variation"] * tv
    return total, j_content, j_style, tv


def prepare(model_json, pictures_npy, spec_json):
    with open(spec_json) as f:
        spec = json.load(f)
    layers = [spec["content"]] + [l for l, _ in spec["style"] if l != spec["content"]]
    net = KerasGraph(model_json, layers)
    dtype = np.float64 if spec.get("double") else np.float32
    if spec.get("double"):
        net.weights = {k: {p: v.double() for p, v in d.items()} for k, d in net.weights.items()}
    pictures = torch.from_numpy(np.load(pictures_npy).astype(dtype))
    content, style, generated = pictures[0:1], pictures[1:2], pictures[2:3].clone()
    with torch.no_grad():
        content_act = net((content - spec["mean"]) / spec["std"])[0]
        style_acts = net((style - spec["mean"]) / spec["std"])
        grams = [gram(style_acts[layers.index(l)]) for l, _ in spec["style"]]
    return net, spec, (content_act, grams), generated


def main():
    mode = sys.argv[1]
    if mode == "costs":
        model_json, pictures_npy, spec_json, out = sys.argv[2:6]
        torch.set_num_threads(2)
        net, spec, targets, generated = prepare(model_json, pictures_npy, spec_json)
        generated.requires_grad_(True)
        total, j_content, j_style, tv = costs(net, spec, targets, generated)
        total.backward()
        os.makedirs(out, exist_ok=True)
        np.save(os.path.join(out, "gradient.npy"), generated.grad.numpy())
        with open(os.path.join(out, "costs.json"), "w") as f:
            json.dump({"total": total.item(), "content": j_content.item(), "style": j_style.item(),
                       "variation": tv.item(), "torch": torch.__version__}, f, indent=1)
    elif mode == "bench":
        model_json, pictures_npy, spec_json = sys.argv[2:5]
        steps, threads = int(sys.argv[5]), int(sys.argv[6])
        torch.set_num_threads(threads)
        net, spec, targets, generated = prepare(model_json, pictures_npy, spec_json)
        generated.requires_grad_(True)
        adam = torch.optim.Adam([generated], lr=spec["lr"])

        def step():
            adam.zero_grad()
            total = costs(net, spec, targets, generated)[0]
            total.backward()
            adam.step()
            with torch.no_grad():
                generated.clamp_(0, 1)
            return total.item()

        first = step()
        started = time.perf_counter()
        last = first
        for _ in range(steps):
            last = step()
        seconds = time.perf_counter() - started
        print(json.dumps({"steps_per_second": steps / seconds, "first": first, "last": last,
                          "torch": torch.__version__, "threads": threads}))
    else:
        raise SystemExit("mode is costs or bench")


if __name__ == "__main__":
    main()
