// Tiny DOM helpers: every piece of data goes in as text (never innerHTML), so article text and
// quotes cannot inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function setStatus(message, isError = false) {
  const el = document.getElementById("status");
  el.textContent = message || "";
  el.classList.toggle("error", Boolean(isError && message));
}

export const QUAD = {
  1: { label: "verbal cooperation", color: "#2f6fb3" },
  2: { label: "material cooperation", color: "#2e8b57" },
  3: { label: "verbal conflict", color: "#d9822b" },
  4: { label: "material conflict", color: "#c0392b" },
};

// Field names of the four QuadClass counts in network edges and timeline periods.
export const QUAD_FIELDS = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"];

export const PLOVER_TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];

// "1 event", "3 events", "2 stories": n given as a number or a list.
export function plural(n, noun, nouns = /[^aeiou]y$/.test(noun) ? noun.slice(0, -1) + "ies" : noun + "s") {
  const k = Array.isArray(n) ? n.length : Number(n ?? 0);
  return `${k} ${k === 1 ? noun : nouns}`;
}

export function names(list) {
  if (!list || !list.length) return "—";
  return list.map((a) => (typeof a === "string" ? a : a.name || a.code || a.id)).join(", ");
}

export function hashParams(query) {
  return new URLSearchParams(query || "");
}
