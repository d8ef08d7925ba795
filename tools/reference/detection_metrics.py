#!/usr/bin/python3
"""Reference detection metrics, written from the published definitions, for the detection module's tests.

- Pascal VOC (2010 and later) average precision at IoU 0.5: detections of a class sorted by score; each is a true
  positive when its best-overlapping ground truth (over all of that class in its image) overlaps it by more than
  0.5 and was not matched before, else a false positive; AP is the area under the precision-recall curve made
  monotone (all points), as in the VOC devkit's VOCap.
- COCO mAP@[.5:.95]: for each IoU threshold 0.50, 0.55, ..., 0.95, detections (at most 100 per image and class,
  highest scores) sorted by score; each matches the unmatched ground truth it overlaps most with IoU >= the threshold;
  precision made monotone and sampled at 101 recall points (0, 0.01, ..., 1), taking the first point whose recall
  reaches each; AP averaged over thresholds and classes with ground truth, as pycocotools' COCOeval does (no
  crowd boxes, every area).

A fixed set of images, ground truth and detections comes from numpy's legacy seeded generator and is written
with the results, so the Java test runs on exactly these numbers.

Usage: /usr/bin/python3 tools/reference/detection_metrics.py OUT.json
"""
import json
import os
import sys

import numpy as np

SEED = 20261202
CLASSES = 3


def iou(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = w * h if w > 0 and h > 0 else 0.0
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def data():
    rng = np.random.RandomState(SEED)
    images = []
    for _ in range(12):
        truth = []
        for _ in range(rng.randint(1, 5)):
            x, y = rng.uniform(0, 70, size=2)
            w, h = rng.uniform(10, 30, size=2)
            truth.append({"box": [x, y, x + w, y + h], "class": int(rng.randint(0, CLASSES))})
        detections = []
        for t in truth:
            for _ in range(rng.randint(0, 3)):               # near-misses and duplicates of real objects
                jitter = rng.normal(0, 3, size=4)
                box = [t["box"][k] + jitter[k] for k in range(4)]
                box = [min(box[0], box[2] - 1), min(box[1], box[3] - 1), max(box[2], box[0] + 1), max(box[3], box[1] + 1)]
                cls = t["class"] if rng.uniform() < 0.85 else int(rng.randint(0, CLASSES))
                detections.append({"box": box, "class": cls, "score": float(rng.uniform(0.05, 1))})
        for _ in range(rng.randint(0, 3)):                   # false alarms
            x, y = rng.uniform(0, 70, size=2)
            w, h = rng.uniform(10, 30, size=2)
            detections.append({"box": [x, y, x + w, y + h], "class": int(rng.randint(0, CLASSES)),
                               "score": float(rng.uniform(0.05, 1))})
        images.append({"truth": truth, "detections": detections})
    return images


def voc_ap(images, cls, threshold=0.5):
    dets = [(d["score"], i, d["box"]) for i, im in enumerate(images) for d in im["detections"] if d["class"] == cls]
    dets.sort(key=lambda d: -d[0])
    truth = {i: [t["box"] for t in im["truth"] if t["class"] == cls] for i, im in enumerate(images)}
    used = {i: [False] * len(b) for i, b in truth.items()}
    positives = sum(len(b) for b in truth.values())
    tp, fp = [], []
    for _, i, box in dets:
        overlaps = [iou(box, t) for t in truth[i]]
        best = int(np.argmax(overlaps)) if overlaps else -1
        if best >= 0 and overlaps[best] > threshold and not used[i][best]:
            used[i][best] = True
            tp.append(1); fp.append(0)
        else:
            tp.append(0); fp.append(1)
    tp, fp = np.cumsum(tp), np.cumsum(fp)
    recall = tp / positives if positives else tp * 0.0
    precision = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([0.0], precision, [0.0]))
    for k in range(len(mpre) - 2, -1, -1):
        mpre[k] = max(mpre[k], mpre[k + 1])
    idx = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1])), positives


def coco_ap(images, cls, threshold):
    per_image = []
    for i, im in enumerate(images):
        mine = sorted([d for d in im["detections"] if d["class"] == cls], key=lambda d: -d["score"])[:100]
        per_image.append((i, mine, [t["box"] for t in im["truth"] if t["class"] == cls]))
    positives = sum(len(t) for _, _, t in per_image)
    if positives == 0:
        return None
    scored = []
    for i, dets, truth in per_image:
        matched = [False] * len(truth)
        for d in dets:
            best, best_iou = -1, min(threshold, 1 - 1e-10)
            for g, t in enumerate(truth):
                if matched[g]:
                    continue
                o = iou(d["box"], t)
                if o < best_iou:
                    continue
                best, best_iou = g, o
            if best >= 0:
                matched[best] = True
            scored.append((d["score"], 1 if best >= 0 else 0))
    scored.sort(key=lambda s: -s[0])
    tp = np.cumsum([s[1] for s in scored]).astype(np.float64)
    fp = np.cumsum([1 - s[1] for s in scored]).astype(np.float64)
    recall = tp / positives
    precision = tp / np.maximum(tp + fp, np.spacing(1))
    precision = list(precision)
    for k in range(len(precision) - 1, 0, -1):
        precision[k - 1] = max(precision[k - 1], precision[k])
    points = np.linspace(0, 1, 101)
    indices = np.searchsorted(recall, points, side="left")
    q = [precision[j] if j < len(precision) else 0.0 for j in indices]
    return float(np.mean(q))


def main(out):
    images = data()
    voc = {}
    for c in range(CLASSES):
        ap, positives = voc_ap(images, c)
        voc[str(c)] = ap
    thresholds = [0.5 + 0.05 * k for k in range(10)]
    coco = {}
    for c in range(CLASSES):
        coco[str(c)] = [coco_ap(images, c, t) for t in thresholds]
    values = [v for c in coco.values() for v in c if v is not None]
    fixture = {"seed": SEED, "classes": CLASSES, "images": images, "voc_ap50": voc,
               "voc_map50": float(np.mean(list(voc.values()))), "coco_ap": coco,
               "coco_map": float(np.mean(values))}
    with open(out + ".tmp", "w") as f:
        json.dump(fixture, f)
    os.replace(out + ".tmp", out)
    print(f"VOC mAP@0.5 {fixture['voc_map50']:.4f}, COCO mAP@[.5:.95] {fixture['coco_map']:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
