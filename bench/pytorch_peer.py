"""The PyTorch side of 'cnnzoo bench': the same networks, batches and thread count, measured the same way.

    /usr/bin/python3 bench/pytorch_peer.py --model resnet18 [--threads 2] [--warmup 2] [--repeats 3] [--seconds 1]

    /usr/bin/python3 bench/pytorch_peer.py --model resnet50 --memory training|inference --batch 16 [--steps 3]

Prints one JSON object: for each layout (NCHW and channels-last) inference images/s at batch 1 and at the
model's batch (16; LeNet-5: 64) and training images/s at that batch (forward, backward, SGD update), each the best of the repetitions after warm-up,
with the load other processes put on the machine during the timed part (in cores), and the peak RSS.
With --memory, one phase alone in this process (NCHW): the resident set once torch is loaded, the parameters,
the tensors autograd keeps for the backward pass (training) and the peak resident set, as the memory suite
compares them with DL4J's. Random weights, as on the Java side. Debian's torch uses the system BLAS (OpenBLAS here) for dense layers and
its bundled oneDNN for convolutions.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torchvision

INPUT = {"lenet5": (1, 32, 32)}
BATCH = {"lenet5": 64}


class LeNet5(nn.Module):
    """LeNet-5 as the zoo's 'lenet5' builds it: 6 and 16 5x5 filters, ReLU, max pooling, 120-84-10."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                                      nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                        nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def network(name):
    if name == "lenet5":
        return LeNet5()
    if name == "googlenet":
        return torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False)
    return getattr(torchvision.models, name)(weights=None)


def cpu_ticks():
    """(all CPUs' busy ticks, this process's ticks), from /proc: the difference is what others used."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]          # minus idle and iowait
    with open("/proc/self/stat") as f:
        own = f.read().rsplit(")", 1)[1].split()
    return busy, int(own[11]) + int(own[12])           # utime + stime


def timed(step, images, warmup, repeats, minimum_seconds):
    """Best images/s over the repetitions, and the other processes' load (cores) during the timed part."""
    for _ in range(warmup):
        step()
    best = 0.0
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    busy0, own0 = cpu_ticks()
    t0 = time.perf_counter()
    for _ in range(repeats):
        n = 0
        start = time.perf_counter()
        while True:
            step()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= minimum_seconds:
                break
        best = max(best, n * images / elapsed)
    wall = time.perf_counter() - t0
    busy1, own1 = cpu_ticks()
    others = max(0.0, ((busy1 - busy0) - (own1 - own0)) / ticks_per_second / wall)
    return best, others


def measure(name, layout, warmup, repeats, seconds):
    torch.manual_seed(0)
    model = network(name)
    memory_format = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    c, h, w = INPUT.get(name, (3, 224, 224))
    large = BATCH.get(name, 16)
    result = {}
    model.eval()
    for key, batch in (("inference_1", 1), ("inference_batch", large)):
        x = torch.randn(batch, c, h, w).to(memory_format=memory_format)

        def infer():
            with torch.no_grad():
                model(x)
        result[key], result["load_" + key] = timed(infer, batch, warmup, repeats, seconds)
    model.train()
    x = torch.randn(large, c, h, w).to(memory_format=memory_format)
    y = torch.randint(0, 10 if name == "lenet5" else 1000, (large,))
    optimiser = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def train():
        optimiser.zero_grad()
        loss_fn(model(x), y).backward()
        optimiser.step()
    result["training_batch"], result["load_training_batch"] = timed(train, large, warmup, repeats, seconds)
    return result


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def memory(name, phase, batch, steps):
    """One phase's memory: what is resident before the network, its parameters, what autograd saves, the peak."""
    torch.manual_seed(0)
    out = {"model": name, "batch": batch, "phase": phase, "steps": steps, "baseline_rss_mb": rss_mb()}
    model = network(name)
    out["parameters_mb"] = sum(p.numel() * p.element_size() for p in model.parameters()) / 2 ** 20
    c, h, w = INPUT.get(name, (3, 224, 224))
    x = torch.randn(batch, c, h, w)
    if phase == "inference":
        model.eval()
        with torch.no_grad():
            for _ in range(steps):
                model(x)
    else:
        model.train()
        y = torch.randint(0, 10 if name == "lenet5" else 1000, (batch,))
        optimiser = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        saved = {}

        def pack(t):
            # a tensor saved for backward, counted once per storage (views and parameters share theirs)
            storage = t.untyped_storage() if hasattr(t, "untyped_storage") else t.storage()
            saved[storage.data_ptr()] = storage.nbytes()
            return t
        for _ in range(steps):
            optimiser.zero_grad()
            saved.clear()
            with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
                loss = loss_fn(model(x), y)
            for p in model.parameters():
                saved.pop(p.data_ptr(), None)
            loss.backward()
            optimiser.step()
        out["saved_for_backward_mb"] = sum(saved.values()) / 2 ** 20
        out["gradients_mb"] = out["parameters_mb"]
        out["updater_state_mb"] = sum(s["momentum_buffer"].numel() * 4 for s in optimiser.state.values()) / 2 ** 20
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.0, help="least time of one repetition")
    parser.add_argument("--memory", choices=("training", "inference"), help="measure one phase's memory instead")
    parser.add_argument("--batch", type=int, default=16, help="the memory measure's batch")
    parser.add_argument("--steps", type=int, default=3, help="the memory measure's steps")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)   # Debian's torch starts with 1 thread on this machine otherwise
    if args.memory:
        json.dump(memory(args.model, args.memory, args.batch, args.steps), sys.stdout)
        print()
        return
    out = {"framework": "pytorch " + torch.__version__, "threads": torch.get_num_threads(), "model": args.model,
           "batch": BATCH.get(args.model, 16), "layouts": {}}
    for layout in ("nchw", "channels_last"):
        out["layouts"][layout] = measure(args.model, layout, args.warmup, args.repeats, args.seconds)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
