"""Inter-annotator agreement on the double-coded sample (annotations/events/agreement/).

    python training/events/agreement.py [--shared ../shared]

For each article coded twice, events are paired greedily by overlapping triggers. Reported: trigger F1 (the
two codings agree that an act is stated there), typed F1 (and the same type), Cohen's kappa of the type on
paired triggers, dyad agreement (a shared source and, where either has one, a shared target, by overlapping
spans or names) on typed pairs, and polarity/modality agreement on typed pairs.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _same_actor(a: dict, b: dict) -> bool:
    if _overlap(a, b):
        return True
    na, nb = (a.get("name") or a["text"]).lower(), (b.get("name") or b["text"]).lower()
    return na == nb or na.split()[-1:] == nb.split()[-1:]


def _args(ev: dict, role: str) -> list[dict]:
    return ev[role] + [i for i in ev.get("implied", []) if i.get("role") == role]


def _dyad(a: dict, b: dict) -> bool:
    if not any(_same_actor(x, y) for x in _args(a, "source") for y in _args(b, "source")):
        return False
    ta, tb = _args(a, "target"), _args(b, "target")
    if not ta and not tb:
        return True
    return any(_same_actor(x, y) for x in ta for y in tb)


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    second_dir = ROOT / "annotations" / "events" / "agreement" / "docs"
    first_dir = ROOT / "annotations" / "events" / "docs"
    n_first = n_second = trig = typed = dyad = pol = mod = 0
    type_pairs: list[tuple[str, str]] = []
    confusion: Counter = Counter()
    docs = 0
    for path in sorted(second_dir.glob("*.json")):
        first_path = first_dir / path.name
        if not first_path.is_file():
            continue
        docs += 1
        a_events = json.loads(first_path.read_text(encoding="utf-8"))["events"]
        b_events = json.loads(path.read_text(encoding="utf-8"))["events"]
        n_first += len(a_events)
        n_second += len(b_events)
        used: set[int] = set()
        for a in a_events:
            match = next(
                (k for k, b in enumerate(b_events) if k not in used and _overlap(a["trigger"], b["trigger"])),
                None,
            )
            if match is None:
                continue
            used.add(match)
            b = b_events[match]
            trig += 1
            type_pairs.append((a["type"], b["type"]))
            if a["type"] != b["type"]:
                confusion[(a["type"], b["type"])] += 1
                continue
            typed += 1
            dyad += _dyad(a, b)
            pol += a["polarity"] == b["polarity"]
            mod += a["modality"] == b["modality"]
    f1 = lambda m: round(2 * m / (n_first + n_second), 3) if n_first + n_second else 0.0  # noqa: E731
    out = {
        "articles": docs,
        "events": {"first": n_first, "second": n_second},
        "trigger_f1": f1(trig),
        "typed_f1": f1(typed),
        "type_kappa_on_paired_triggers": round(kappa(type_pairs), 3),
        "dyad_agreement_on_typed_pairs": round(dyad / typed, 3) if typed else 0.0,
        "strict_f1": f1(dyad),
        "polarity_agreement": round(pol / typed, 3) if typed else 0.0,
        "modality_agreement": round(mod / typed, 3) if typed else 0.0,
        "commonest_type_disagreements": {f"{a}/{b}": n for (a, b), n in confusion.most_common(8)},
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
