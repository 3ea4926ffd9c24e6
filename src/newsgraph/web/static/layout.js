// Where the network's nodes go, and how big their labels are.
//
// The first time, a force-directed layout (from a circle, so it is repeatable), stretched to the canvas's
// proportions so the graph fills it. Positions are then remembered in this browser (localStorage), so the
// graph keeps its shape when an article is added or the filters change: only actors never shown before
// are placed, beside the actors they are linked to. "Lay out again" starts afresh.
//
// Labels: the main actors' labels are kept at a legible size on screen whatever the zoom; the others are
// drawn at the graph's scale and hidden when they would be too small to read.

const STORE_KEY = "newsgraph.positions";
const MAX_REMEMBERED = 5000;
const PADDING = 30;
const MAX_ZOOM = 1.3; // few nodes would be fitted at a huge zoom
export const MAIN_LABEL_PX = 13;

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY) || "{}");
  } catch {
    return {};
  }
}

function remember(cy) {
  const all = remembered();
  cy.nodes().forEach((n) => {
    const p = n.position();
    delete all[n.id()]; // re-inserted last: the oldest entries are the ones dropped below
    all[n.id()] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
  });
  const ids = Object.keys(all);
  ids.slice(0, Math.max(0, ids.length - MAX_REMEMBERED)).forEach((id) => delete all[id]);
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled: the layout is simply not remembered
  }
}

function stretchToCanvas(cy) {
  const bb = cy.nodes().boundingBox();
  const width = cy.width() - 2 * PADDING;
  const height = cy.height() - 2 * PADDING;
  if (bb.w < 1 || bb.h < 1 || width < 1 || height < 1) return;
  const want = width / height;
  const have = bb.w / bb.h;
  const sx = have < want ? want / have : 1;
  const sy = have > want ? have / want : 1;
  const cx = (bb.x1 + bb.x2) / 2;
  const cy0 = (bb.y1 + bb.y2) / 2;
  cy.nodes().positions((n) => {
    const p = n.position();
    return { x: cx + (p.x - cx) * sx, y: cy0 + (p.y - cy0) * sy };
  });
}

function forceLayout(cy) {
  cy.layout({ name: "circle", fit: false }).run();
  if (cy.nodes().length > 6) {
    cy.layout({ name: "cose", animate: false, randomize: false, fit: false, nodeRepulsion: () => 40000,
      idealEdgeLength: () => 70, nodeOverlap: 12, gravity: 0.4, componentSpacing: 30 }).run();
  }
  stretchToCanvas(cy);
}

// Newcomers go beside their placed neighbours (golden-angle offsets, so siblings do not pile up), or,
// linked to nobody placed, in rows under the graph.
function placeNewcomers(cy, newcomers, placed) {
  const bb = cy.nodes().filter((n) => placed.has(n.id())).boundingBox();
  const cols = Math.max(1, Math.floor(bb.w / 80));
  let loose = 0;
  newcomers.sort((a, b) => b.data("mentions") - a.data("mentions")).forEach((n, i) => {
    const anchors = n.neighborhood("node").filter((m) => placed.has(m.id()));
    let pos;
    if (anchors.length) {
      const x = anchors.reduce((s, m) => s + m.position("x"), 0) / anchors.length;
      const y = anchors.reduce((s, m) => s + m.position("y"), 0) / anchors.length;
      const angle = (i + 1) * 2.39996;
      const r = 50 + n.data("size");
      pos = { x: x + r * Math.cos(angle), y: y + r * Math.sin(angle) };
    } else {
      pos = { x: bb.x1 + (loose % cols) * 80, y: bb.y2 + 80 + Math.floor(loose / cols) * 80 };
      loose += 1;
    }
    n.position(pos);
    placed.add(n.id());
  });
}

function fit(cy) {
  cy.fit(cy.elements(), PADDING);
  if (cy.zoom() > MAX_ZOOM) {
    cy.zoom(MAX_ZOOM);
    cy.center();
  }
}

// Positions every node (remembered ones where they were) and fits the graph to the canvas.
export function layOut(cy, { fresh = false } = {}) {
  if (!cy.nodes().length) return;
  const saved = fresh ? {} : remembered();
  const known = cy.nodes().filter((n) => Array.isArray(saved[n.id()]));
  if (!known.length) {
    forceLayout(cy);
  } else {
    known.forEach((n) => n.position({ x: saved[n.id()][0], y: saved[n.id()][1] }));
    placeNewcomers(cy, cy.nodes().difference(known), new Set(known.map((n) => n.id())));
  }
  fit(cy);
  remember(cy);
}

// The main actors (most mentioned) keep MAIN_LABEL_PX on screen at any zoom.
export function legibleLabels(cy, count) {
  const main = cy.nodes().sort((a, b) => b.data("mentions") - a.data("mentions")).slice(0, count);
  main.addClass("main");
  const apply = () => {
    const size = Math.max(MAIN_LABEL_PX, MAIN_LABEL_PX / cy.zoom());
    cy.batch(() => main.style({ "font-size": size, "text-outline-width": Math.max(2, 2 / cy.zoom()) }));
  };
  apply();
  cy.on("zoom", apply);
  return main;
}

export function mainCount(nodes) {
  return Math.max(5, Math.min(15, Math.ceil(nodes / 8)));
}
