"""Knowledge-base load time with a large PETRARCH/TABARI actor dictionary.

    .venv/bin/python benchmarks/kb_bench.py [--dictionary FILE] [--mb 1.5] [--repeat 3]

Without ``--dictionary`` it writes a synthetic dictionary of about ``--mb`` megabytes in the layout of the
Phoenix country dictionaries (a state entry with synonyms, then people with several dated codes each, in
TABARI's YYMMDD and YYYYMMDD forms) to a temporary folder; the largest dictionary that ships with
PETRARCH2 (the Phoenix countries file) is about 1.5 MB. Prints the time to parse the file alone, to
build the knowledge base with the bundled data and the file, and to build the pipeline's name matcher
over it, best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from newsgraph.kb import KnowledgeBase
from newsgraph.kb.petrarch import read_petrarch


def synthetic_dictionary(size_bytes: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    letters = "ABCDEFGHIJKLMNOPRSTUVWYZ"

    def word(n: int) -> str:
        return "".join(rng.choice(letters) for _ in range(n))

    out: list[str] = ["# synthetic dictionary in the Phoenix country layout (benchmark input)"]
    size = 0
    country = 0
    while size < size_bytes:
        code = f"X{country // 26 % 26:02d}"[:1] + letters[country % 24] + letters[country // 24 % 24]
        country += 1
        lines = [f"{word(8)}_LAND_  [{code}]", *(f"+{word(7)}_ " for _ in range(12))]
        for _ in range(60):
            lines.append(f"{word(6)}_{word(8)}_  # CountryInfo.txt")
            if rng.random() < 0.3:
                lines.append(f"+{word(8)}_")
            for _ in range(rng.randint(1, 3)):
                y0 = rng.randint(60, 98)
                lines.append(f"\t[{code}GOV {y0:02d}0101-{y0 + 1:02d}1231]")
            lines.append(f"\t[{code}ELI >{rng.randint(2000, 2013)}0101]")
        block = "\n".join(lines) + "\n"
        out.append(block)
        size += len(block)
    return "\n".join(out)


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dictionary", type=Path, help="a PETRARCH/TABARI dictionary to load")
    parser.add_argument("--mb", type=float, default=1.5, help="size of the synthetic dictionary")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.dictionary
        if path is None:
            path = Path(tmp) / "synthetic.actors.txt"
            path.write_text(synthetic_dictionary(int(args.mb * 1_000_000)), encoding="utf-8")
        text = path.read_text(encoding="utf-8", errors="replace")
        parse_s, layer = best(lambda: read_petrarch(text, str(path)), args.repeat)
        bundled_s, _ = best(lambda: KnowledgeBase.load(), args.repeat)
        load_s, kb = best(lambda: KnowledgeBase.load([path]), args.repeat)
        import spacy

        from newsgraph.config import Settings
        from newsgraph.extract.actor_matcher import KBMatcher

        tokenizer = spacy.load(Settings().model).tokenizer
        matcher_s, _ = best(lambda: KBMatcher(kb, lambda s: [t.text for t in tokenizer(s)]), 1)
    print(f"dictionary: {path.name} {len(text) / 1e6:.2f} MB, {len(layer.raw)} actor records, "
          f"{len(layer.agents)} agents, {len(layer.warnings)} warnings")
    print(f"parse only:                     {parse_s:6.2f} s")
    print(f"bundled knowledge base alone:   {bundled_s:6.2f} s")
    print(f"bundled + dictionary:           {load_s:6.2f} s  ({len(kb)} entries)")
    print(f"name matcher over that KB:      {matcher_s:6.2f} s")


if __name__ == "__main__":
    main()
