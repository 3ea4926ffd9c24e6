// Network view: actors as nodes, dyads as directed edges coloured from cooperation to conflict.
import cytoscape from "/static/vendor/cytoscape.esm.min.js";

import { api, explain } from "./api.js";
import { eventList, quoteList, timelineChart } from "./components.js";
import { PLOVER_TYPES, QUAD, QUAD_FIELDS, clear, h, plural, setStatus } from "./dom.js";
import { layOut, legibleLabels, mainCount } from "./layout.js";

const KIND_STYLE = {
  state: { shape: "round-rectangle", color: "#3d6fa5" },
  person: { shape: "ellipse", color: "#8e5ea2" },
  organization: { shape: "hexagon", color: "#3b8f7a" },
  group: { shape: "triangle", color: "#a5753d" },
};

function quadCounts(edge) {
  return QUAD_FIELDS.map((name) => Number(edge[name] ?? 0));
}

function mix(a, b, t) {
  const pa = a.match(/\w\w/g).map((x) => parseInt(x, 16));
  const pb = b.match(/\w\w/g).map((x) => parseInt(x, 16));
  return "#" + pa.map((v, i) => Math.round(v + (pb[i] - v) * t).toString(16).padStart(2, "0")).join("");
}

export const MIXED = "#9e9e9e";

// -1 (all conflict) … 0 grey … +1 (all cooperation), in the colour of the QuadClass that dominates its side
// (the timeline's colours): material cooperation green, verbal blue; verbal conflict orange, material red.
export function edgeColor(counts) {
  const [v1, m2, v3, m4] = counts;
  const coop = v1 + m2;
  const conf = v3 + m4;
  const total = coop + conf;
  if (!total) return MIXED;
  const score = (coop - conf) / total;
  if (score >= 0) return mix(MIXED.slice(1), (m2 >= v1 ? QUAD[2] : QUAD[1]).color.slice(1), score);
  return mix(MIXED.slice(1), (m4 >= v3 ? QUAD[4] : QUAD[3]).color.slice(1), -score);
}

function elementsFrom(net) {
  // Node size grows with mentions relative to the most mentioned actor, so one actor mentioned hundreds of
  // times cannot dwarf the graph (and force the zoom down until every label is unreadable).
  const most = Math.max(1, ...(net.nodes || []).map((n) => Number(n.mentions ?? 1)));
  const nodes = (net.nodes || []).map((n) => {
    const kind = KIND_STYLE[n.kind] ? n.kind : "organization";
    const mentions = Number(n.mentions ?? n.mention_count ?? 1);
    return { group: "nodes", data: { id: String(n.id), name: n.name || n.id, kind, mentions, code: n.code || "",
      size: Math.round(18 + 42 * Math.sqrt(mentions / most)), color: KIND_STYLE[kind].color,
      shape: KIND_STYLE[kind].shape } };
  });
  const known = new Set(nodes.map((n) => n.data.id));
  const edges = (net.edges || []).filter((e) => known.has(String(e.source)) && known.has(String(e.target)))
    .map((e, i) => {
      const counts = quadCounts(e);
      const total = Number(e.total ?? counts.reduce((a, b) => a + b, 0));
      return { group: "edges", data: { id: `e${i}`, source: String(e.source), target: String(e.target),
        counts, total, color: edgeColor(counts), width: 1.5 + 2.2 * Math.sqrt(total),
        label: String(total) } };
    });
  return [...nodes, ...edges];
}

function readFilters(form) {
  const data = new FormData(form);
  return {
    since: data.get("since") || null,
    until: data.get("until") || null,
    type: data.getAll("type"),
    min_count: data.get("min_count") || 1,
    count: data.get("count") || "stories",
    min_confidence: data.get("min_confidence") ?? "",
  };
}

function filterForm(initial, onApply) {
  const selected = new Set(initial.type || []);
  const form = h("form", { class: "filters", "aria-label": "Network filters" },
    h("h2", {}, "Filters"),
    h("label", {}, "From", h("input", { type: "date", name: "since", value: initial.since || "" })),
    h("label", {}, "To", h("input", { type: "date", name: "until", value: initial.until || "" })),
    h("label", {}, "Minimum count",
      h("input", { type: "number", name: "min_count", min: 1, value: initial.min_count || 1 })),
    h("label", {}, "Count",
      h("select", { name: "count" },
        h("option", { value: "stories", selected: initial.count !== "reports" }, "stories"),
        h("option", { value: "reports", selected: initial.count === "reports" }, "reports"))),
    // Filled with the threshold in force once the network is loaded (the server's default unless the URL
    // gives one); the note under it says how many events the threshold hides.
    h("label", {}, "Minimum confidence",
      h("input", { type: "number", name: "min_confidence", id: "min-confidence", min: 0, max: 1, step: 0.05,
        value: initial.min_confidence ?? "", "aria-describedby": "confidence-note" })),
    h("p", { class: "muted confidence-note", id: "confidence-note", "aria-live": "polite" }),
    h("fieldset", {}, h("legend", {}, "Event types (none = all)"),
      PLOVER_TYPES.map((t) => h("label", {},
        h("input", { type: "checkbox", name: "type", value: t, checked: selected.has(t) }), t.toLowerCase()))),
    h("button", { type: "submit", class: "primary" }, "Apply"),
    h("div", { class: "legend", id: "edge-legend", "aria-label": "Relation colours" },
      [2, 1].map((k) => h("span", {}, h("span", { class: "swatch", style: `background:${QUAD[k].color}` }),
        QUAD[k].label)),
      h("span", {}, h("span", { class: "swatch", style: `background:${MIXED}` }), "mixed"),
      [3, 4].map((k) => h("span", {}, h("span", { class: "swatch", style: `background:${QUAD[k].color}` }),
        QUAD[k].label))),
    h("div", { class: "legend" }, Object.entries(KIND_STYLE).map(([k, s]) =>
      h("span", {}, h("span", { class: "swatch", style: `background:${s.color};height:.7rem;width:.7rem` }), k))),
    h("h2", {}, "Actors"),
    h("ul", { class: "actor-list", id: "node-list", "aria-label": "Actors in the network" }),
    h("h2", {}, "Relations"),
    h("ul", { class: "actor-list", id: "edge-list", "aria-label": "Relations in the network" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    onApply(readFilters(form));
  });
  return form;
}

// ``defaultConfidence``: the server's threshold, left out of the URL like the other defaults.
function filtersToHash(f, defaultConfidence = null) {
  const p = new URLSearchParams();
  if (f.since) p.set("since", f.since);
  if (f.until) p.set("until", f.until);
  (f.type || []).forEach((t) => p.append("type", t));
  if (f.min_count && String(f.min_count) !== "1") p.set("min_count", f.min_count);
  if (f.count && f.count !== "stories") p.set("count", f.count);
  if (f.min_confidence !== "" && f.min_confidence !== null && f.min_confidence !== undefined
      && Number(f.min_confidence) !== defaultConfidence) p.set("min_confidence", f.min_confidence);
  return p.toString();
}

function confidenceNote(net, initial) {
  const threshold = net.min_confidence;
  if (threshold === null || threshold === undefined || Number(threshold) === 0) {
    return "Events of every confidence are shown (minimum 0).";
  }
  const source = initial.min_confidence ? "" : " (the server's default)";
  const hidden = Number(net.hidden_events ?? 0);
  if (!hidden) return `Showing events of confidence ${threshold} or more${source}; none is below it.`;
  return `Showing events of confidence ${threshold} or more${source}: ${plural(hidden, "event")} below it `
    + "hidden. Set 0 to show them.";
}

export async function renderNetwork(root, params) {
  const initial = { since: params.get("since"), until: params.get("until"), type: params.getAll("type"),
    min_count: params.get("min_count") || 1, count: params.get("count") || "stories",
    min_confidence: params.get("min_confidence") };
  let defaultConfidence = null; // known once a network without min_confidence in the URL was loaded
  const panel = h("aside", { class: "side-panel", id: "side-panel", "aria-live": "polite" },
    h("h2", {}, "Details"),
    h("p", { class: "muted" }, "Click an actor or a relation (or pick an actor from the list) to see its events."));
  const container = h("div", { id: "cy", "aria-label": "Actor network graph; the actor list on the left is its keyboard equivalent" });
  const empty = h("div", { class: "graph-empty" });
  // The threshold in force, on the graph itself: what is not drawn is said where the drawing is.
  const caption = h("div", { class: "graph-caption", id: "graph-caption", "aria-hidden": "true" });
  const form = filterForm(initial, (f) => {
    const hash = filtersToHash(f, defaultConfidence);
    location.hash = "#/network" + (hash ? "?" + hash : "");
  });
  const relayout = h("button", { type: "button", class: "relayout", title: "Forget where the actors were "
    + "placed and lay the whole graph out afresh" }, "Lay out again");
  clear(root).append(h("h1", { class: "visually-hidden" }, "Network"),
    h("div", { class: "network-layout" }, form, h("div", { class: "graph-wrap" }, container, empty, caption, relayout),
      panel));

  let net;
  try {
    setStatus("Loading network…");
    net = await api("/api/network", { params: initial });
    setStatus("");
  } catch (err) {
    setStatus(explain(err), true);
    return;
  }
  // The threshold in force, so the side panel's events and timeline count what the edges count.
  const shown = { ...initial, min_confidence: net.min_confidence };
  if (!initial.min_confidence) defaultConfidence = net.min_confidence;
  form.querySelector("#min-confidence").value = net.min_confidence ?? "";
  form.querySelector("#confidence-note").textContent = confidenceNote(net, initial);
  form.dataset.hiddenEvents = String(net.hidden_events ?? 0);
  caption.textContent = Number(net.min_confidence) > 0
    ? `confidence ≥ ${net.min_confidence} · ${plural(net.hidden_events ?? 0, "event")} hidden` : "";
  const elements = elementsFrom(net);
  empty.textContent = elements.length ? "" : "No relations in this range: ingest articles or widen the filters.";
  const cy = cytoscape({
    container,
    elements,
    minZoom: 0.2,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        label: "data(name)", width: "data(size)", height: "data(size)", shape: "data(shape)",
        "background-color": "data(color)", color: "#1d1f21", "font-size": 11, "text-valign": "bottom",
        "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2,
        "min-zoomed-font-size": 7 } },
      { selector: "node.main", style: { "font-weight": "bold", "z-index": 10 } },
      { selector: "edge", style: {
        width: "data(width)", "line-color": "data(color)", "target-arrow-color": "data(color)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.85, label: "data(label)",
        "font-size": 10, color: "#5f6368", "text-background-color": "#ffffff", "text-background-opacity": 0.8,
        "min-zoomed-font-size": 8 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffbf47" } },
      { selector: "edge:selected", style: { "underlay-color": "#ffbf47", "underlay-opacity": 0.6, "underlay-padding": 4 } },
    ],
    layout: { name: "preset" },
  });
  layOut(cy);
  legibleLabels(cy, mainCount(cy.nodes().length));
  relayout.addEventListener("click", () => layOut(cy, { fresh: true }));
  // Exposed for scripted checks and debugging from the browser console.
  window.newsgraphUI = Object.assign(window.newsgraphUI || {}, { cy });

  const list = form.querySelector("#node-list");
  const nodes = cy.nodes().sort((a, b) => b.data("mentions") - a.data("mentions")).slice(0, 300);
  nodes.forEach((n) => list.append(h("li", {},
    h("button", { type: "button", dataset: { nodeId: n.id() }, onclick: () => { cy.$(":selected").unselect();
      n.select(); showActor(panel, n.id(), shown); } }, `${n.data("name")} (${n.data("mentions")})`))));

  // The lists are the keyboard (and screen reader) route to what the canvas shows; long ones are cut.
  const edgeList = form.querySelector("#edge-list");
  cy.edges().sort((a, b) => b.data("total") - a.data("total")).slice(0, 300).forEach((e) => edgeList.append(
    h("li", {}, h("button", { type: "button", onclick: () => { cy.$(":selected").unselect(); e.select();
      showDyad(panel, e, shown); } },
    `${e.source().data("name")} → ${e.target().data("name")} (${e.data("total")})`))));

  cy.on("tap", "node", (evt) => showActor(panel, evt.target.id(), shown));
  cy.on("tap", "edge", (evt) => showDyad(panel, evt.target, shown));
}

async function showActor(panel, actorId, filters) {
  clear(panel).append(h("p", { class: "muted" }, "Loading…"));
  try {
    const detail = await api(`/api/actors/${encodeURIComponent(actorId)}`);
    const actor = detail;
    const events = detail.events || [];
    const quotes = detail.quotes || [];
    const facts = [
      ["kind", actor.kind], ["role", actor.role], ["organization", actor.organization],
      ["country", actor.country], ["code", actor.code], ["CAMEO", actor.cameo], ["Wikidata", actor.wikidata],
      ["mentions", actor.mention_count], ["events", actor.event_count], ["quotes", actor.quote_count],
    ].filter(([, v]) => v !== null && v !== undefined && v !== "");
    clear(panel).append(
      h("h2", {}, actor.name),
      h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("p", {}, h("a", { href: `#/timeline?${new URLSearchParams({ actor: actorId, label: actor.name })}` },
        "Timeline for this actor")),
      h("h3", {}, `Events (${actor.event_count ?? events.length}` +
        `${events.length < (actor.event_count ?? 0) ? `; the latest ${events.length}` : ""})`),
      eventList(events, "No events involve this actor."),
      h("h3", {}, `Quotes (${quotes.length})`), quoteList(quotes, "No quotes by this actor."));
  } catch (err) {
    clear(panel).append(h("p", { class: "status error" }, explain(err)));
  }
}

async function showDyad(panel, edge, filters) {
  const a = edge.source();
  const b = edge.target();
  clear(panel).append(h("p", { class: "muted" }, "Loading…"));
  const common = { since: filters.since, until: filters.until, type: filters.type,
    min_confidence: filters.min_confidence, limit: 200 };
  try {
    const [forward, backward, periods] = await Promise.all([
      api("/api/events", { params: { ...common, source: a.id(), target: b.id() } }),
      api("/api/events", { params: { ...common, source: b.id(), target: a.id() } }),
      api("/api/timeline", { params: { dyad: `${a.id()}:${b.id()}`, since: filters.since, until: filters.until,
        by: "month", count: filters.count, min_confidence: filters.min_confidence } }),
    ]);
    const counts = edge.data("counts");
    clear(panel).append(
      h("h2", {}, `${a.data("name")} → ${b.data("name")}`),
      h("p", { class: "muted" }, [1, 2, 3, 4].map((k) => `${QUAD[k].label}: ${counts[k - 1]}`).join(" · ")),
      timelineChart(periods.items ?? periods, { title: `${a.data("name")} and ${b.data("name")} by month`,
        counting: filters.count }),
      h("h3", {}, `${a.data("name")} → ${b.data("name")} (${forward.total})`), eventList(forward.items),
      h("h3", {}, `${b.data("name")} → ${a.data("name")} (${backward.total})`), eventList(backward.items));
  } catch (err) {
    clear(panel).append(h("p", { class: "status error" }, explain(err)));
  }
}
