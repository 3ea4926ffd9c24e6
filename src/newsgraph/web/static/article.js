// Article view: the text with actor mentions, quotes (with a speaker badge) and event triggers
// highlighted from the stored extraction's offsets; hovering or focusing one shows its coding.
import { api, explain } from "./api.js";
import { QUAD, clear, h, plural, setStatus } from "./dom.js";

const LAYER = { quote: 0, trigger: 1, actor: 2 };

function actorName(extraction, id) {
  if (!id) return null;
  const actor = extraction.actors.find((a) => a.id === id);
  return actor ? actor.name : id;
}

function actorNames(extraction, ids) {
  return (ids || []).map((id) => actorName(extraction, id)).join(", ") || "—";
}

function claimant(extraction, ev) {
  if (ev.attributed_to) return actorName(extraction, ev.attributed_to);
  return "the article (reporter)";
}

// Highlights must nest to become elements: spans are sorted outermost first, and one that would
// cross the end of its enclosing span is clipped to it.
export function nestSpans(spans) {
  const sorted = [...spans].filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end || a.layer - b.layer);
  const root = { start: -1, end: Infinity, children: [] };
  const stack = [root];
  for (const span of sorted) {
    while (stack.length > 1 && stack[stack.length - 1].end <= span.start) stack.pop();
    const parent = stack[stack.length - 1];
    const node = { ...span, end: Math.min(span.end, parent.end), children: [] };
    if (node.end <= node.start) continue;
    parent.children.push(node);
    stack.push(node);
  }
  return root.children;
}

function collectSpans(extraction, textLength) {
  const spans = [];
  const ok = (s, e) => Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e <= textLength && e > s;
  const speakerSpans = new Set();
  for (const qt of extraction.quotes) {
    if (qt.speaker_span) speakerSpans.add(`${qt.speaker_span.start}:${qt.speaker_span.end}`);
    const parts = qt.parts && qt.parts.length ? qt.parts : [{ start: qt.start, end: qt.end }];
    parts.forEach((p, i) => {
      if (ok(p.start, p.end)) spans.push({ start: p.start, end: p.end, layer: LAYER.quote, kind: "quote", item: qt, first: i === 0 });
    });
  }
  for (const ev of extraction.events) {
    const t = ev.trigger;
    if (t && ok(t.start, t.end)) spans.push({ start: t.start, end: t.end, layer: LAYER.trigger, kind: "trigger", item: ev });
  }
  for (const actor of extraction.actors) {
    for (const m of actor.mentions || []) {
      if (!ok(m.start, m.end)) continue;
      const speaker = speakerSpans.has(`${m.start}:${m.end}`);
      spans.push({ start: m.start, end: m.end, layer: LAYER.actor, kind: speaker ? "speaker" : "actor", item: actor });
    }
  }
  return spans;
}

function labelFor(extraction, span) {
  const it = span.item;
  if (span.kind === "trigger") {
    const neg = it.polarity === "negative" ? "negated " : "";
    return `Event ${neg}${it.type}: ${actorNames(extraction, it.source)} to ${actorNames(extraction, it.target)}; ` +
      `${it.modality}; claimed by ${claimant(extraction, it)}`;
  }
  if (span.kind === "quote") {
    return `${it.kind} quote by ${actorName(extraction, it.speaker) || it.speaker_text || "unknown speaker"}`;
  }
  return `Actor ${it.name} (${it.kind}${it.country ? ", " + it.country : ""})`;
}

function renderNodes(text, nodes, from, to, extraction, out) {
  let pos = from;
  for (const node of nodes) {
    if (node.start > pos) out.append(text.slice(pos, node.start));
    const el = h("span", {
      class: `hl hl-${node.kind}`, tabindex: 0, "aria-label": labelFor(extraction, node),
      dataset: { kind: node.kind, id: node.item.id, start: node.start },
    });
    if (node.kind === "quote" && node.first) {
      const who = actorName(extraction, node.item.speaker) || node.item.speaker_text;
      if (who) el.append(h("span", { class: "speaker-badge", "aria-hidden": "true" }, who));
    }
    renderNodes(text, node.children, node.start, node.end, extraction, el);
    el._span = node;
    out.append(el);
    pos = node.end;
  }
  if (pos < to) out.append(text.slice(pos, to));
}

function row(label, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return null;
  return [h("dt", {}, label), h("dd", {}, value)];
}

function sentenceText(text, span) {
  return span && text ? text.slice(span.start, span.end) : null;
}

function codingFor(extraction, text, span) {
  const it = span.item;
  if (span.kind === "trigger") {
    const quote = it.quote ? extraction.quotes.find((q) => q.id === it.quote) : null;
    return [h("h2", {}, `Event: ${it.type}`), h("dl", {},
      row("trigger", it.trigger?.text), row("source", actorNames(extraction, it.source)),
      row("target", actorNames(extraction, it.target)), row("polarity", it.polarity), row("modality", it.modality),
      row("claimed by", claimant(extraction, it)),
      row("in quote", quote ? `by ${actorName(extraction, quote.speaker) || quote.speaker_text || "?"}` : null),
      row("mode", it.mode), row("QuadClass", it.quad_class ? `${it.quad_class} (${QUAD[it.quad_class].label})` : null),
      row("CAMEO", it.cameo), row("Goldstein", it.goldstein), row("date", it.date), row("location", it.location),
      row("confidence", it.confidence)),
    h("blockquote", { class: "evidence" }, it.evidence?.text || "")];
  }
  if (span.kind === "quote") {
    return [h("h2", {}, `Quote (${it.kind})`), h("dl", {},
      row("speaker", actorName(extraction, it.speaker) || it.speaker_text || "unknown"), row("cue", it.cue),
      row("addressee", actorName(extraction, it.addressee)), row("about", actorNames(extraction, it.about)),
      row("confidence", it.confidence)),
    h("blockquote", { class: "evidence" }, it.text)];
  }
  const org = it.organization ? actorName(extraction, it.organization) : null;
  return [h("h2", {}, it.name), h("dl", {},
    row("kind", it.kind), row("role", it.role), row("organization", org), row("country", it.country),
    row("code", it.code), row("sector", it.sector), row("CAMEO", it.cameo), row("Wikidata", it.wikidata),
    row("speaking", span.kind === "speaker" ? "named as a quote's speaker" : null))];
}

// The coding panel moves down beside the highlight it explains (kept within the article's height), when
// it sits in a column next to the text; stacked under the text on a narrow screen, it stays put.
function besideHighlight(coding, el) {
  const layout = coding.parentElement;
  if (!layout || getComputedStyle(layout).gridTemplateColumns.split(" ").length < 2) {
    coding.style.marginTop = "";
    return;
  }
  const top = el.getBoundingClientRect().top - layout.getBoundingClientRect().top;
  const room = layout.getBoundingClientRect().height - coding.offsetHeight;
  coding.style.marginTop = `${Math.round(Math.max(0, Math.min(top - 16, room)))}px`;
}

export async function renderArticle(root, articleId, params) {
  clear(root).append(h("p", { class: "muted" }, "Loading article…"));
  let data;
  try {
    data = await api(`/api/articles/${encodeURIComponent(articleId)}`);
    setStatus("");
  } catch (err) {
    clear(root);
    setStatus(explain(err), true);
    return;
  }
  const extraction = data.extraction;
  const meta = extraction.article;
  const coding = h("aside", { class: "coding", id: "coding", "aria-live": "polite" },
    h("h2", {}, "Coding"), h("p", { class: "muted" }, "Hover over or tab to a highlight to see how it was coded."));
  const body = h("div", { class: "article-text", id: "article-text" });
  const text = data.text;
  if (text) {
    renderNodes(text, nestSpans(collectSpans(extraction, text.length)), 0, text.length, extraction, body);
  } else {
    body.append(h("p", { class: "muted" }, "The store holds no text for this article; its events are listed below."));
    extraction.events.forEach((ev) => body.append(h("p", {}, h("span", { class: "tag" }, ev.type), ev.evidence.text)));
  }
  const show = (el) => {
    if (!el || !el._span) return;
    body.querySelectorAll(".hl.active").forEach((x) => x.classList.remove("active"));
    el.classList.add("active");
    clear(coding).append(...codingFor(extraction, text, el._span));
    besideHighlight(coding, el);
  };
  body.addEventListener("mouseover", (ev) => show(ev.target.closest(".hl")));
  body.addEventListener("focusin", (ev) => show(ev.target.closest(".hl")));

  const facts = [meta.published, meta.source, meta.dateline_place, meta.language].filter(Boolean).join(" · ");
  clear(root).append(
    h("h1", {}, meta.title || meta.id),
    h("p", { class: "muted" }, facts, meta.url ? [" · ", h("a", { href: meta.url, rel: "noopener noreferrer" }, "original")] : null,
      ` · ${plural(extraction.actors, "actor")} · ${plural(extraction.quotes, "quote")} · ${plural(extraction.events, "event")}`,
      ` · coded by ${extraction.coder.name} ${extraction.coder.version}`),
    h("div", { class: "legend" },
      h("span", { class: "hl hl-actor" }, "actor"), h("span", { class: "hl hl-quote" }, "quote"),
      h("span", { class: "hl hl-trigger" }, "event trigger"), h("span", { class: "speaker-badge" }, "speaker")),
    h("div", { class: "article-layout" }, body, coding));

  // Deep links from event and quote lists: ?at=<trigger offset> or ?quote_at=<quote offset>.
  const at = params.get("at");
  const quoteAt = params.get("quote_at");
  const wanted = at !== null ? body.querySelector(`.hl-trigger[data-start="${CSS.escape(at)}"]`)
    : quoteAt !== null ? body.querySelector(`.hl-quote[data-start="${CSS.escape(quoteAt)}"]`) : null;
  if (wanted) {
    wanted.scrollIntoView({ block: "center" });
    wanted.focus();
  }
}
