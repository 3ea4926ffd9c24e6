"""Choose the articles of the event-annotation corpus from PolNeAR's train split (fixed seed).

    python training/events/sample.py [--shared ../shared] > annotations/events/sample.json

24 articles from each of the seven publishers, 1,500-7,000 characters long (a news story, not a brief or
a long-read), each assigned to train (16), dev (4) or test (4). The dev split is for development figures;
the test split is scored only when a model is final.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path

SEED = 20261203
PER_PUBLISHER = {"train": 16, "dev": 4, "test": 4}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    text_dir = args.shared / "eval" / "polnear" / "train" / "text"
    by_publisher: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(text_dir.glob("*.txt")):
        if 1500 <= path.stat().st_size <= 7000:
            by_publisher[path.name.split("_", 1)[0]].append(path)
    rng = random.Random(SEED)
    docs = []
    for publisher in sorted(by_publisher):
        chosen = rng.sample(by_publisher[publisher], sum(PER_PUBLISHER.values()))
        splits = [s for s, n in PER_PUBLISHER.items() for _ in range(n)]
        for path, split in zip(chosen, splits, strict=True):
            docs.append(
                {
                    "doc": f"polnear/train/text/{path.name}",
                    "split": split,
                    "text_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                }
            )
    print(json.dumps({"seed": SEED, "source": "PolNeAR v1.0.0 train split", "docs": docs}, indent=1))


if __name__ == "__main__":
    main()
