"""Reduce an HTML page to its article text and metadata (trafilatura, no network)."""

from __future__ import annotations

from newsgraph.ingest.readers import ArticleInput

MIN_BODY_WORDS = 15


def article_from_html(html: str, url: str | None = None, origin: str = "<html>",
                      article_id: str | None = None) -> ArticleInput:
    """The main text of ``html`` with title, date, site and URL from its metadata.

    Raises ``ValueError`` with a readable message when the page holds no article body, or when the HTML
    parser fails on it (whatever it raised: the caller reports it for this page and goes on).
    """
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, output_format="python")
    except Exception as err:
        detail = " ".join(str(err).split())[:200]
        raise ValueError(f"HTML page could not be parsed: {type(err).__name__}: {detail}") from err
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ValueError("HTML page has no article body that could be extracted")
    words = len(text.split())
    if words < MIN_BODY_WORDS:
        # Menus, cookie banners and error pages leave a few words behind: that is not an article.
        raise ValueError(f"HTML page has no article body (only {words} words of text outside navigation)")
    title = (doc.title or "").strip() or None
    # Offsets refer to the text newsgraph analyses; keep the headline in it so it can be highlighted and
    # searched, as for plain-text input where the headline is the first line.
    body = text if not title or text.lstrip().startswith(title) else f"{title}\n\n{text}"
    return ArticleInput(text=body, id=article_id, html=html, title=title, published=doc.date or None,
                        url=doc.url or url, source=doc.sitename or doc.hostname or None, origin=origin)
