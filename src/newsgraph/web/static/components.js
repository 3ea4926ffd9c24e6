// Pieces shared by the views: event and quote items, and the QuadClass timeline chart.
import { QUAD, QUAD_FIELDS, h, names, plural } from "./dom.js";

// Field access in one place, so the views do not depend on the exact row layout.
export const field = {
  articleId: (row) => row.article_id ?? (typeof row.article === "string" ? row.article : row.article?.id),
  articleTitle: (row) => row.article_title ?? row.article?.title ?? null,
  evidence: (ev) => ev.evidence_sentence ?? ev.sentence_text ?? ev.evidence_text ??
    (typeof ev.evidence === "string" ? ev.evidence : ev.evidence?.text) ?? "",
  trigger: (ev) => ev.trigger_text ?? (typeof ev.trigger === "string" ? ev.trigger : ev.trigger?.text) ?? "",
  claimant: (ev) => {
    const a = ev.attributed_to ?? ev.claimed_by;
    if (!a) return "the article";
    return typeof a === "string" ? a : a.name || a.id;
  },
  speaker: (qt) => {
    const s = qt.speaker_name ?? qt.speaker;
    if (!s) return qt.speaker_text || "unattributed";
    return typeof s === "string" ? s : s.name || s.id;
  },
  quad: (ev) => ev.quad_class ?? null,
  periodLabel: (p) => p.period ?? p.label ?? p.start ?? p.date ?? "",
  quadCount: (p, k) => Number(p[QUAD_FIELDS[k - 1]] ?? 0),
};

export function articleLink(row, extra = "") {
  const id = field.articleId(row);
  if (!id) return null;
  const title = field.articleTitle(row) || id;
  return h("a", { href: `#/article/${encodeURIComponent(id)}${extra}`, class: "article-link" }, title);
}

export function eventItem(ev) {
  const quad = field.quad(ev);
  const negated = ev.polarity === "negative" ? "not " : "";
  const modality = ev.modality && ev.modality !== "actual" ? ` (${ev.modality})` : "";
  return h("li", { class: "item event-item", dataset: { eventId: ev.id ?? "", type: ev.type } },
    h("div", {},
      h("span", { class: `tag q${quad ?? 0}`, title: quad ? QUAD[quad].label : "" }, ev.type),
      `${names(ev.source)} → ${negated}${ev.type.toLowerCase()}${modality} → ${names(ev.target)}`),
    h("blockquote", { class: "evidence" }, field.evidence(ev)),
    h("div", { class: "meta" },
      ev.date ? `${ev.date} · ` : "", `claimed by ${field.claimant(ev)} · `,
      typeof ev.confidence === "number" ? `confidence ${ev.confidence} · ` : "",
      articleLink(ev, ev.trigger ? `?at=${ev.trigger.start}` : "")));
}

export function quoteItem(qt) {
  const org = qt.speaker_organization;
  return h("li", { class: "item quote-item" },
    h("div", {}, h("span", { class: "tag" }, qt.kind || "quote"), h("strong", {}, field.speaker(qt)),
      org ? h("span", { class: "muted speaks-for" }, ` for ${typeof org === "string" ? org : org.name}`) : "", ": "),
    h("blockquote", { class: "evidence" }, qt.text),
    h("div", { class: "meta" }, qt.date ? `${qt.date} · ` : "",
      articleLink(qt, Number.isInteger(qt.start) ? `?quote_at=${qt.start}` : "")));
}

export function eventList(events, emptyText = "No events.") {
  if (!events || !events.length) return h("p", { class: "muted" }, emptyText);
  return h("ul", { class: "actor-list event-list" }, events.map(eventItem));
}

export function quoteList(quotes, emptyText = "No quotes.") {
  if (!quotes || !quotes.length) return h("p", { class: "muted" }, emptyText);
  return h("ul", { class: "actor-list quote-list" }, quotes.map(quoteItem));
}

export const UNDATED = "undated"; // the period the API gives events whose article has no date

const periodTotal = (p) => [1, 2, 3, 4].reduce((s, k) => s + field.quadCount(p, k), 0);

// Stacked bars, one per period, one colour per QuadClass; drawn on a <canvas> with a table
// beside it holding the same numbers for screen readers. Undated events get a bar of their own, set
// apart from the time axis, and a note saying why.
export function timelineChart(periods, { title = "Events per period by QuadClass", counting = "stories" } = {}) {
  const canvas = h("canvas", { class: "chart", role: "img", "aria-label": title });
  // Two heading rows (cooperation / conflict over verbal / material) keep every heading a short word,
  // so the table fits the narrow side panel too.
  const table = h("table", { class: "data" },
    h("caption", { class: "muted" }, title),
    h("thead", {},
      h("tr", {}, h("th", { scope: "col", rowspan: 2 }, "period"),
        h("th", { scope: "colgroup", colspan: 2, class: "group" }, "cooperation"),
        h("th", { scope: "colgroup", colspan: 2, class: "group" }, "conflict"),
        h("th", { scope: "col", rowspan: 2, title: "mean Goldstein score" }, "mean Gold\u00adstein")),
      h("tr", {}, [1, 2, 3, 4].map((k) => h("th", { scope: "col", title: QUAD[k].label },
        h("span", { class: "swatch", style: `background:${QUAD[k].color}` }),
        QUAD[k].label.split(" ")[0])))),
    h("tbody", {}, periods.map((p) => h("tr", { class: p.period === UNDATED ? "undated" : null },
      h("td", {}, field.periodLabel(p)),
      [1, 2, 3, 4].map((k) => h("td", {}, field.quadCount(p, k))),
      h("td", {}, p.mean_goldstein === null || p.mean_goldstein === undefined ? "" : p.mean_goldstein.toFixed(1))))));
  const legend = h("div", { class: "legend" }, [1, 2, 3, 4].map((k) =>
    h("span", {}, h("span", { class: "swatch", style: `background:${QUAD[k].color}` }), QUAD[k].label)));
  const undated = periods.find((p) => p.period === UNDATED);
  const note = undated ? h("p", { class: "note undated-note" },
    `${plural(periodTotal(undated), counting === "reports" ? "event" : "story")} without a date: `
    + "their articles carry none (no date in the page's metadata or the text's dateline), so they are shown "
    + "as \u201cundated\u201d, apart from the time axis. Give such articles a date when ingesting them "
    + "(newsgraph ingest --published, a JSONL \u201cpublished\u201d field, or the Ingest form's date).") : null;
  const wrap = h("div", { class: "timeline-chart" }, canvas, legend, note, table);
  requestAnimationFrame(() => drawBars(canvas, periods));
  return wrap;
}

export function drawBars(canvas, periods) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 260;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  ctx.clearRect(0, 0, width, height);
  const pad = { left: 36, right: 10, top: 12, bottom: 34 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const totals = periods.map(periodTotal);
  const max = Math.max(1, ...totals);
  ctx.strokeStyle = "#999";
  ctx.fillStyle = "#5f6368";
  ctx.font = "11px sans-serif";
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, pad.top + plotH);
  ctx.lineTo(pad.left + plotW, pad.top + plotH);
  ctx.stroke();
  const step = Math.max(1, Math.ceil(max / 5));
  for (let v = 0; v <= max; v += step) {
    const y = pad.top + plotH - (v / max) * plotH;
    ctx.fillText(String(v), 4, y + 4);
  }
  if (!periods.length) {
    ctx.fillText("no events in this range", pad.left + 10, pad.top + plotH / 2);
    return;
  }
  const dated = periods.filter((p) => p.period !== UNDATED);
  const undated = periods.find((p) => p.period === UNDATED);
  // The undated bar stands right of the axis's end, after a dashed divider.
  const undatedW = undated ? Math.min(80, plotW / 4) : 0;
  const axisW = plotW - undatedW;
  const stack = (p, x, barW) => {
    let y = pad.top + plotH;
    for (const k of [1, 2, 3, 4]) {
      const n = field.quadCount(p, k);
      if (!n) continue;
      const hgt = (n / max) * plotH;
      ctx.fillStyle = QUAD[k].color;
      ctx.fillRect(x, y - hgt, barW, hgt);
      y -= hgt;
    }
  };
  if (!dated.length) {
    ctx.fillStyle = "#5f6368";
    ctx.fillText("no dated events", pad.left + 10, pad.top + plotH / 2);
  }
  const slot = axisW / Math.max(1, dated.length);
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const every = Math.ceil(dated.length / Math.max(1, Math.floor(axisW / 70)));
  dated.forEach((p, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    stack(p, x, barW);
    if (i % every === 0) {
      ctx.fillStyle = "#5f6368";
      ctx.fillText(String(field.periodLabel(p)).slice(0, 10), x, pad.top + plotH + 14);
    }
  });
  if (undated) {
    const left = pad.left + axisW;
    ctx.save();
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = "#999";
    ctx.beginPath();
    ctx.moveTo(left, pad.top);
    ctx.lineTo(left, pad.top + plotH);
    ctx.stroke();
    ctx.restore();
    const w = Math.min(48, undatedW * 0.6);
    stack(undated, left + (undatedW - w) / 2, w);
    ctx.fillStyle = "#5f6368";
    ctx.fillText(UNDATED, left + (undatedW - ctx.measureText(UNDATED).width) / 2, pad.top + plotH + 14);
  }
}
