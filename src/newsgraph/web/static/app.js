// Hash router for the single-page UI: #/network, #/map, #/timeline, #/articles, #/article/<id>, #/search, #/ingest.
import { checkKey, explain, getKey, getKeyState, onKeyState, setKey } from "./api.js";
import { renderArticle } from "./article.js";
import { setStatus } from "./dom.js";
import { renderMap } from "./map.js";
import { renderNetwork } from "./network.js";
import { renderArticles, renderIngest, renderSearch, renderTimeline } from "./views.js";

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?", 2);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] || "network", arg: parts.slice(1).join("/"), params: new URLSearchParams(query || "") };
}

async function route() {
  const { view, arg, params } = parseHash();
  const root = document.getElementById("view");
  setStatus("");
  document.querySelectorAll("nav a[data-view]").forEach((a) => {
    const current = a.dataset.view === view || (view === "article" && a.dataset.view === "articles");
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  document.body.dataset.view = view;
  document.body.dataset.ready = "false";
  try {
    if (view === "article" && arg) await renderArticle(root, arg, params);
    else if (view === "articles") await renderArticles(root, params);
    else if (view === "timeline") await renderTimeline(root, params);
    else if (view === "search") await renderSearch(root, params);
    else if (view === "ingest") renderIngest(root);
    else if (view === "map") await renderMap(root, params);
    else await renderNetwork(root, params);
  } finally {
    // Lets scripted checks wait for a view to finish loading.
    document.body.dataset.ready = "true";
  }
}

const KEY_STATE_TEXT = {
  none: "",
  unchecked: "key set",
  valid: "key accepted",
  invalid: "key not valid",
};

function initKeyForm() {
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  const state = document.getElementById("key-state");
  const show = (s) => {
    state.textContent = KEY_STATE_TEXT[s] ?? "";
    state.dataset.state = s;
    state.title = s === "invalid" ? "The server does not accept this key: writes are refused. "
      + "Reads on a public server work without one." : "";
    if (s === "invalid") input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  onKeyState(show);
  input.value = getKey();
  show(getKeyState());
  checkKey().catch(() => {});
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    setKey(input.value.trim());
    try {
      await checkKey();
    } catch (err) {
      setStatus(explain(err), true);
    }
    // Reload the view so a private server's data appears; the ingest form keeps what was typed.
    if (parseHash().view !== "ingest") route();
  });
}

initKeyForm();
window.addEventListener("hashchange", route);
route();
