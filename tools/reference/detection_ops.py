#!/usr/bin/python3
"""Reference IoU and non-max suppression from torchvision.ops, for the detection module's tests.

Forty boxes in a 100x100 image (clustered, so that many overlap), their scores and classes, from numpy's legacy
seeded generator; then torchvision's pairwise box_iou, and the indices nms (across classes) and batched_nms (per
class) keep after dropping scores under 0.3, at IoU 0.5. The inputs are written with the results, so the Java
test runs on exactly these numbers.

Usage: /usr/bin/python3 tools/reference/detection_ops.py OUT.json
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision
from torchvision import ops

SEED = 20261201
SCORE = 0.3
IOU = 0.5


def main(out):
    rng = np.random.RandomState(SEED)
    centres = rng.uniform(20, 80, size=(4, 2))
    boxes, scores, classes = [], [], []
    for i in range(40):
        cx, cy = centres[i % 4] + rng.normal(0, 4, size=2)
        w, h = rng.uniform(10, 40, size=2)
        boxes.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
        scores.append(rng.uniform(0, 1))
        classes.append(int(rng.randint(0, 3)))
    b = torch.tensor(boxes, dtype=torch.float64)
    s = torch.tensor(scores, dtype=torch.float64)
    c = torch.tensor(classes)
    keep_mask = s >= SCORE
    index = torch.nonzero(keep_mask).flatten()
    agnostic = index[ops.nms(b[index], s[index], IOU)].tolist()
    per_class = index[ops.batched_nms(b[index], s[index], c[index], IOU)].tolist()
    fixture = {"torchvision": torchvision.__version__, "seed": SEED, "score_threshold": SCORE, "iou_threshold": IOU,
               "boxes": [[float("%.17g" % v) for v in box] for box in boxes],
               "scores": [float("%.17g" % v) for v in scores], "classes": classes,
               "iou": [[float("%.17g" % v) for v in row] for row in ops.box_iou(b, b).tolist()],
               "nms": agnostic, "batched_nms": per_class}
    with open(out + ".tmp", "w") as f:
        json.dump(fixture, f)
    os.replace(out + ".tmp", out)
    print(f"{len(boxes)} boxes: nms keeps {len(agnostic)}, batched_nms keeps {len(per_class)}")


if __name__ == "__main__":
    main(sys.argv[1])
