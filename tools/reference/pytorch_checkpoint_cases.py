#!/usr/bin/python3
"""Small checkpoints written by Debian's torch, for the reader's tests: every storage type, views, wrappers.

Each case is a state dict whose values are known in closed form (value = index * step + start, in the dtype),
so the Java test can check every number without any fixture. Written in the zip format and, for one case, in
the legacy stream (`_use_new_zipfile_serialization=False`).

Usage: /usr/bin/python3 tools/reference/pytorch_checkpoint_cases.py OUT_DIR
"""
import collections
import os
import sys

import torch


def ramp(n, dtype, start=0.0, step=0.5):
    return (torch.arange(n, dtype=torch.float64) * step + start).to(dtype)


def cases():
    base = collections.OrderedDict()
    base["f32"] = ramp(6, torch.float32).reshape(2, 3)
    base["f16"] = ramp(4, torch.float16, -1.0, 0.25)
    base["bf16"] = ramp(4, torch.bfloat16, 2.0, 0.5)
    base["f64"] = ramp(3, torch.float64, 0.1, 0.1)
    base["i64"] = torch.arange(3, dtype=torch.int64) + 7
    grid = ramp(12, torch.float32).reshape(3, 4)
    base["transposed"] = grid.t()                       # stride (1, 4)
    base["row"] = grid[1]                               # offset 4 into a shared storage
    base["grid"] = grid
    base["scalar"] = torch.tensor(3.5)
    return {
        "plain": base,
        "wrapped": {"epoch": 3, "state_dict": base, "optimizer": {"lr": 0.1}},
        "module": collections.OrderedDict(("module." + k, v) for k, v in base.items()),
        "parameters": collections.OrderedDict([("w", torch.nn.Parameter(ramp(4, torch.float32)))]),
    }


def main(out):
    os.makedirs(out, exist_ok=True)
    for name, state in cases().items():
        torch.save(state, os.path.join(out, name + ".pth"))
    torch.save(cases()["plain"], os.path.join(out, "legacy.pth"), _use_new_zipfile_serialization=False)


if __name__ == "__main__":
    main(sys.argv[1])
