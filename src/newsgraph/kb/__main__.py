"""Check knowledge-base files: ``python -m newsgraph.kb [--no-bundled] [--lookup TEXT] FILE...``.

Loads the bundled data and the given files the way ``--actors`` does, reports what was loaded, and
exits with status 1 and the error when a file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from newsgraph.kb.base import KnowledgeBase
from newsgraph.kb.loader import KBFormatError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsgraph.kb", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="YAML or PETRARCH/TABARI files, in order")
    parser.add_argument("--no-bundled", action="store_true", help="leave out the bundled data")
    parser.add_argument("--lookup", action="append", default=[], metavar="TEXT", help="show what TEXT names")
    args = parser.parse_args(argv)
    try:
        kb = KnowledgeBase.load(args.files, include_bundled=not args.no_bundled)
    except (KBFormatError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in kb.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    kinds = Counter(e.kind for e in kb.entries())
    print(" ".join(f"{k}={kinds[k]}" for k in ("state", "organization", "group", "party", "person")),
          f"agents={len(list(kb.agents()))} regions={len(list(kb.regions()))} places={len(kb.places())}")
    for text in args.lookup:
        hits = kb.lookup_kind(text)
        print(f"{text!r}: " + (", ".join(f"{e.id} ({how})" for e, how in hits) if hits else "no match"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
