"""Actor knowledge base: states, organisations, armed groups, people with dated offices, role nouns.

    kb = KnowledgeBase.load()                 # bundled data (newsgraph/data/kb/*.yaml)
    kb.lookup("the U.S.")                     # [KBEntry(id="state:USA", ...)]
    kb.office_at(kb.get("person:Q6279"), date(2015, 1, 1))
"""

from newsgraph.kb.base import KnowledgeBase, SurfaceForm
from newsgraph.kb.loader import KBFormatError
from newsgraph.kb.model import (
    Agent,
    Government,
    KBEntry,
    Kind,
    MatchKind,
    Membership,
    Office,
    latest_office,
    office_rank,
)
from newsgraph.kb.petrarch import read_petrarch

__all__ = [
    "Agent", "Government", "KBEntry", "KBFormatError", "Kind", "KnowledgeBase", "MatchKind", "Membership",
    "Office", "latest_office", "office_rank", "read_petrarch", "SurfaceForm",
]
