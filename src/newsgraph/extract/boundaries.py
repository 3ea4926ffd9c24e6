"""The extractor's side of article boundaries: an extraction holds only the article's news.

``newsgraph.ingest.boundaries`` finds the stretches of a text that are not the article (reader comments,
related-stories lists, captions, bylines, boilerplate); ``keep_article_news`` records them on the article
and drops the quotes, events and quantities found there. It works on a whole extraction, with offsets into
the whole text, so it applies the same way however the text was cut up for the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgraph.contract import ExcludedSpan, Extraction


def keep_article_news(extraction: Extraction, excluded: Sequence[ExcludedSpan]) -> Extraction:
    """``extraction`` with ``article.excluded`` set and without what starts in an excluded span: quotes,
    events (by their trigger; an event stated in a dropped quote goes too, and a further statement found
    there leaves ``also_evidence``) and the quantities no kept event refers to. Actors keep their mentions."""
    if not excluded:
        return extraction

    def out(offset: int) -> bool:
        return any(x.start <= offset < x.end for x in excluded)

    quotes = [q for q in extraction.quotes if not out(q.start)]
    quote_ids = {q.id for q in quotes}
    events = []
    for ev in extraction.events:
        if out(ev.trigger.start) or (ev.quote is not None and ev.quote not in quote_ids):
            continue
        also = [a for a in ev.also_evidence if not out(a.start)]
        if len(also) < len(ev.also_evidence):
            ev = ev.model_copy(update={"also_evidence": also})
        events.append(ev)
    linked = {qid for ev in events for qid in ev.quantities}
    quantities = [n for n in extraction.quantities if n.id in linked or not out(n.start)]
    article = extraction.article.model_copy(update={"excluded": list(excluded)})
    return extraction.model_copy(
        update={"article": article, "quotes": quotes, "events": events, "quantities": quantities}
    )
