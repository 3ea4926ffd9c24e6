"""The event ontology as data: PLOVER types (modes, contexts), CAMEO codes (name, QuadClass, Goldstein)
and the correspondence between them, read from ``data/ontology/*.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from newsgraph.contract import PLOVER_TYPES

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "ontology"


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int


@dataclass(frozen=True)
class PloverType:
    name: str
    description: str
    quad_class: int
    default_cameo: str
    modes: tuple[str, ...] = ()
    future_as: str | None = None  # how PLOVER codes a promise/announcement of this type


@dataclass(frozen=True)
class Ontology:
    cameo: dict[str, CameoCode]
    types: dict[str, PloverType]
    contexts: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)
    cameo_to_plover: dict[str, str] = field(default_factory=dict)

    def code(self, code: str | None) -> CameoCode | None:
        return self.cameo.get(code) if code else None

    def plover_for_cameo(self, code: str) -> str | None:
        """PLOVER type of a CAMEO code: the longest prefix listed in the correspondence."""
        for n in range(len(code), 1, -1):
            found = self.cameo_to_plover.get(code[:n])
            if found:
                return found
        return None

    def canonical_type(self, name: str) -> str | None:
        """Today's PLOVER type name for a current or older one (DISAPPROVE → ACCUSE...)."""
        upper = name.strip().upper()
        upper = self.aliases.get(upper, upper)
        return upper if upper in self.types else None


def load_ontology(directory: Path = DATA_DIR) -> Ontology:
    with open(directory / "cameo.yaml", encoding="utf-8") as fh:
        cameo_data = yaml.safe_load(fh)
    with open(directory / "plover.yaml", encoding="utf-8") as fh:
        plover_data = yaml.safe_load(fh)
    quad_by_root = {str(k): int(v) for k, v in cameo_data["quad_class_by_root"].items()}
    cameo = {}
    for code, (name, goldstein) in cameo_data["codes"].items():
        code = str(code)
        cameo[code] = CameoCode(code, str(name), float(goldstein), quad_by_root[code[:2]])
    types = {}
    for name, spec in plover_data["types"].items():
        types[name] = PloverType(
            name=name,
            description=spec["description"],
            quad_class=int(spec["quad_class"]),
            default_cameo=str(spec["default_cameo"]),
            modes=tuple(spec.get("modes") or ()),
            future_as=spec.get("future_as"),
        )
    missing = set(PLOVER_TYPES) - set(types)
    if missing:
        raise ValueError(f"ontology lacks PLOVER types {sorted(missing)}")
    return Ontology(
        cameo=cameo,
        types=types,
        contexts=tuple(plover_data.get("contexts") or ()),
        aliases={str(k): str(v) for k, v in (plover_data.get("aliases") or {}).items()},
        cameo_to_plover={str(k): str(v) for k, v in (plover_data.get("cameo_to_plover") or {}).items()},
    )


def plover_view(event_type: str, polarity: str, modality: str, ontology: Ontology) -> str | None:
    """The PLOVER type an extracted event is coded as in PLOVER data, or None when PLOVER would not code it.

    PLOVER codes deeds and commitments: a promise or announcement of cooperation is AGREE ("will provide aid",
    "offered to", "ready to contribute"); an announced or conditional hostile deed is THREATEN ("will extend
    the curfew", "might impose costs unless"); a negated promise is REJECT ("will not accept refugees").
    Other negated events, questions and conditional cooperation are not coded.
    """
    if modality == "question":
        return None
    spec = ontology.types.get(event_type)
    if spec is None:
        return None
    if polarity == "negative":
        # "will not accept refugees", "won't allow inspectors": a refusal to cooperate
        cooperative = spec.future_as == "AGREE" or event_type == "AGREE"
        return "REJECT" if modality in ("planned", "hypothetical") and cooperative else None
    if modality == "planned":
        return spec.future_as or event_type
    if modality == "hypothetical":
        return "THREATEN" if spec.future_as == "THREATEN" else None
    return event_type
