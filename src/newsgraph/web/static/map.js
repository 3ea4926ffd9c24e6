// Map view: located events as points on Natural Earth country outlines (no tiles, nothing from elsewhere),
// clustered at low zoom, coloured by QuadClass, filtered like the network; a click lists the events.
import { api, explain } from "./api.js";
import { eventList } from "./components.js";
import { PLOVER_TYPES, QUAD, clear, h, setStatus } from "./dom.js";

const VENDOR = "/static/vendor/";
const loaded = new Map();

// Leaflet and its cluster plugin are UMD builds that define globals (window.L): load them as classic
// scripts from our own origin, once, in order.
function loadScript(name) {
  if (!loaded.has(name)) {
    loaded.set(name, new Promise((resolve, reject) => {
      const el = document.createElement("script");
      el.src = VENDOR + name;
      el.onload = resolve;
      el.onerror = () => reject(new Error(`could not load ${name}: run scripts/build-web.sh`));
      document.head.append(el);
    }));
  }
  return loaded.get(name);
}

function loadStyle(name) {
  if (!document.querySelector(`link[data-vendor="${name}"]`)) {
    document.head.append(h("link", { rel: "stylesheet", href: VENDOR + name, dataset: { vendor: name } }));
  }
}

async function loadLibraries() {
  loadStyle("leaflet.css");
  loadStyle("MarkerCluster.css");
  await loadScript("leaflet.js");
  await Promise.all([loadScript("leaflet.markercluster.js"), loadScript("topojson-client.min.js")]);
  return window.L;
}

let outlines = null;  // the decoded country outlines, kept across visits to the view

async function countryOutlines() {
  if (!outlines) {
    const response = await fetch(VENDOR + "countries-50m.json");
    if (!response.ok) throw new Error("country outlines missing: run scripts/build-web.sh");
    const topo = await response.json();
    const world = window.topojson.feature(topo, topo.objects.countries);
    // Antarctica (ISO 010) holds no events and, like every ring across the antimeridian, would be
    // drawn as stripes across the map; the other rings are unwrapped into continuous longitudes.
    world.features = world.features.filter((f) => f.id !== "010").map(unwrapFeature);
    outlines = world;
  }
  return outlines;
}

function unwrapRing(ring) {
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i > 0) {
      const prev = ring[i - 1][0];
      if (lon - prev > 180) shift -= 360;
      else if (prev - lon > 180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

function unwrapFeature(f) {
  const g = f.geometry;
  if (!g) return f;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  const fixed = polygons.map((rings) => rings.map(unwrapRing));
  const geometry = g.type === "Polygon" ? { type: "Polygon", coordinates: fixed[0] }
    : { type: "MultiPolygon", coordinates: fixed };
  return { ...f, geometry };
}

function readFilters(form) {
  const data = new FormData(form);
  return {
    since: data.get("since") || null,
    until: data.get("until") || null,
    actor: (data.get("actor") || "").trim() || null,
    type: data.getAll("type"),
  };
}

function filtersToHash(f) {
  const p = new URLSearchParams();
  if (f.since) p.set("since", f.since);
  if (f.until) p.set("until", f.until);
  if (f.actor) p.set("actor", f.actor);
  (f.type || []).forEach((t) => p.append("type", t));
  return p.toString();
}

function filterForm(initial, onApply) {
  const selected = new Set(initial.type || []);
  const form = h("form", { class: "filters", "aria-label": "Map filters" },
    h("h2", {}, "Filters"),
    h("label", {}, "From", h("input", { type: "date", name: "since", value: initial.since || "" })),
    h("label", {}, "To", h("input", { type: "date", name: "until", value: initial.until || "" })),
    h("label", {}, "Actor", h("input", { type: "text", name: "actor", value: initial.actor || "",
      placeholder: "name, code or id" })),
    h("fieldset", {}, h("legend", {}, "Event types (none = all)"),
      PLOVER_TYPES.map((t) => h("label", {},
        h("input", { type: "checkbox", name: "type", value: t, checked: selected.has(t) }), t.toLowerCase()))),
    h("button", { type: "submit", class: "primary" }, "Apply"),
    h("div", { class: "legend" }, [1, 2, 3, 4].map((k) =>
      h("span", {}, h("span", { class: "swatch", style: `background:${QUAD[k].color}` }), QUAD[k].label))),
    h("h2", {}, "Places"),
    h("ul", { class: "actor-list", id: "place-list", "aria-label": "Places on the map" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    onApply(readFilters(form));
  });
  return form;
}

// A GeoJSON Feature's properties as the event rows the shared event list shows.
function eventRow(f) {
  const p = f.properties;
  return { id: p.event, type: p.type, quad_class: p.quad_class, source: p.source, target: p.target,
    polarity: p.polarity, modality: p.modality, date: p.date, evidence: p.evidence, article_id: p.article,
    article_title: p.article_title, place: p.place, basis: p.basis, place_evidence: p.place_evidence };
}

function placeKey(f) {
  const [lon, lat] = f.geometry.coordinates;
  return `${f.properties.place}|${lat}|${lon}`;
}

function showEvents(panel, features, title) {
  const rows = features.map(eventRow).sort((a, b) => String(b.date).localeCompare(String(a.date)));
  const places = [...new Set(rows.map((r) => r.place))];
  const bases = [...new Set(rows.map((r) => r.basis))];
  const list = eventList(rows, "No events here.");
  // where each event is placed and on what: the place's own words in the article
  list.querySelectorAll(".event-item").forEach((li, i) => {
    const r = rows[i];
    li.append(h("div", { class: "meta place-basis" }, `at ${r.place} · ${r.basis}`,
      r.place_evidence ? `: “${r.place_evidence.text}”` : ""));
  });
  clear(panel).append(
    h("h2", {}, title),
    h("p", { class: "muted" }, `${rows.length} event${rows.length === 1 ? "" : "s"} at ${places.join(", ")}`,
      ` · location: ${bases.join(", ")}`),
    list);
}

// Cluster badge: sized by count, coloured by the QuadClass most of its events have.
function clusterIcon(L, cluster) {
  const counts = [0, 0, 0, 0, 0];
  for (const m of cluster.getAllChildMarkers()) counts[m.options.quad || 0] += 1;
  const quad = [1, 2, 3, 4].reduce((best, k) => (counts[k] > counts[best] ? k : best), 1);
  const n = cluster.getChildCount();
  const size = n < 10 ? 30 : n < 100 ? 38 : 46;
  const color = counts[quad] ? QUAD[quad].color : "#9e9e9e";
  // Numbers and a colour from our own table only: nothing from the data goes into the markup.
  return L.divIcon({ className: "map-cluster", iconSize: [size, size],
    html: `<span style="background:${color};width:${size}px;height:${size}px;line-height:${size}px">${n}</span>` });
}

export async function renderMap(root, params) {
  const initial = { since: params.get("since"), until: params.get("until"), actor: params.get("actor"),
    type: params.getAll("type") };
  const panel = h("aside", { class: "side-panel", id: "map-panel", "aria-live": "polite" },
    h("h2", {}, "Details"),
    h("p", { class: "muted" }, "Click a point or a cluster (or pick a place from the list) to see its events."));
  const container = h("div", { id: "map", "aria-label": "Map of events; the place list on the left is its keyboard equivalent" });
  const empty = h("div", { class: "graph-empty" });
  const form = filterForm(initial, (f) => {
    location.hash = "#/map" + (filtersToHash(f) ? "?" + filtersToHash(f) : "");
  });
  clear(root).append(h("h1", { class: "visually-hidden" }, "Map"),
    h("div", { class: "network-layout" }, form, h("div", { class: "graph-wrap" }, container, empty), panel));

  let L, world, data;
  try {
    setStatus("Loading map…");
    [L, data] = await Promise.all([loadLibraries(),
      api("/api/events.geojson", { params: { ...initial, limit: 5000 } })]);
    world = await countryOutlines();
    setStatus("");
  } catch (err) {
    setStatus(explain(err), true);
    return;
  }
  const features = data.features || [];
  empty.textContent = features.length ? "" : "No located events in this range: ingest articles or widen the filters.";
  if (data.total > features.length) setStatus(`Showing the latest ${features.length} of ${data.total} located events.`);

  const map = L.map(container, { preferCanvas: true, worldCopyJump: true, minZoom: 1, maxZoom: 12,
    attributionControl: true, zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth · GeoNames");
  L.geoJSON(world, { interactive: false, style: { color: "#8a9099", weight: 0.6, fillColor: "#eceae4", fillOpacity: 1 } })
    .addTo(map);

  const clusters = L.markerClusterGroup({ showCoverageOnHover: false, zoomToBoundsOnClick: false,
    maxClusterRadius: 45, iconCreateFunction: (c) => clusterIcon(L, c) });
  const byPlace = new Map();
  for (const f of features) {
    const [lon, lat] = f.geometry.coordinates;
    const quad = f.properties.quad_class || 0;
    const marker = L.circleMarker([lat, lon], { radius: 7, weight: 1.5, color: "#ffffff", fillOpacity: 0.9,
      fillColor: quad ? QUAD[quad].color : "#9e9e9e", quad });
    marker.feature = f;
    marker.on("click", () => {
      const here = byPlace.get(placeKey(f)) || [f];
      showEvents(panel, here, f.properties.place);
    });
    clusters.addLayer(marker);
    const key = placeKey(f);
    if (!byPlace.has(key)) byPlace.set(key, []);
    byPlace.get(key).push(f);
  }
  clusters.on("clusterclick", (ev) => {
    const inside = ev.layer.getAllChildMarkers().map((m) => m.feature);
    const placesHere = new Set(inside.map(placeKey));
    showEvents(panel, inside, placesHere.size === 1 ? inside[0].properties.place : `${placesHere.size} places`);
    // one place: zooming cannot part its events, so fan them out; several: zoom to them
    if (placesHere.size === 1) ev.layer.spiderfy();
    else ev.layer.zoomToBounds({ padding: [30, 30] });
  });
  map.addLayer(clusters);
  if (features.length) {
    const bounds = L.latLngBounds(features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    map.fitBounds(bounds.pad(0.3), { maxZoom: 5 });
  } else {
    map.setView([25, 10], 2);
  }

  const list = form.querySelector("#place-list");
  [...byPlace.values()].sort((a, b) => b.length - a.length).slice(0, 300).forEach((group) => {
    const f = group[0];
    list.append(h("li", {}, h("button", { type: "button", onclick: () => {
      map.setView([f.geometry.coordinates[1], f.geometry.coordinates[0]], Math.max(map.getZoom(), 5));
      showEvents(panel, group, f.properties.place);
    } }, `${f.properties.place} (${group.length})`)));
  });
  // Exposed for scripted checks and debugging from the browser console.
  window.newsgraphUI = Object.assign(window.newsgraphUI || {}, { map, clusters });
}
