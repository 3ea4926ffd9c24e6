// The smaller views: article list, timeline, search and ingest.
import { api, explain, getKey } from "./api.js";
import { articleLink, field, quoteList, timelineChart } from "./components.js";
import { clear, h, plural, setStatus } from "./dom.js";

const PAGE = 25;

function pager(page, go) {
  const last = page.offset + page.items.length;
  return h("div", { class: "pager" },
    h("button", { type: "button", disabled: page.offset === 0, onclick: () => go(Math.max(0, page.offset - page.limit)) },
      "Previous"),
    h("span", { class: "muted" }, page.total ? `${page.offset + 1}–${last} of ${page.total}` : "none"),
    h("button", { type: "button", disabled: last >= page.total, onclick: () => go(last) }, "Next"));
}

export async function renderArticles(root, params) {
  const offset = Number(params.get("offset") || 0);
  const search = params.get("search") || "";
  const form = h("form", { class: "timeline-form", role: "search" },
    h("label", {}, "Title or text contains", h("input", { name: "search", value: search })),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new FormData(form).get("search");
    location.hash = "#/articles" + (q ? "?search=" + encodeURIComponent(q) : "");
  });
  clear(root).append(h("h1", {}, "Articles"), form);
  try {
    const page = await api("/api/articles", { params: { search, limit: PAGE, offset } });
    const go = (o) => { location.hash = `#/articles?${new URLSearchParams({ search, offset: o })}`; };
    root.append(pager(page, go), h("ul", { class: "actor-list article-list", id: "article-list" },
      page.items.map((a) => h("li", { class: "item", dataset: { articleId: a.id } },
        h("a", { href: `#/article/${encodeURIComponent(a.id)}` }, a.title || a.id),
        h("div", { class: "meta" },
          h("span", { class: a.published ? "date" : "date undated" }, a.published || "undated"),
          a.source ? ` · ${a.source}` : "",
          ` · ${plural(a.actor_count, "actor")} · ${plural(a.quote_count, "quote")} · `
          + plural(a.event_count, "event"))))),
    );
    if (!page.total) root.append(h("p", { class: "muted" }, "No articles yet: use Ingest to add one."));
  } catch (err) {
    setStatus(explain(err), true);
  }
}

export async function renderTimeline(root, params) {
  const actor = params.get("actor") || "";
  const dyad = params.get("dyad") || "";
  const by = params.get("by") || "month";
  const form = h("form", { class: "timeline-form" },
    h("label", {}, "Actor (id, code or name)", h("input", { name: "actor", value: actor })),
    h("span", { class: "muted" }, "or"),
    h("label", {}, "Dyad A:B", h("input", { name: "dyad", value: dyad, placeholder: "USA:CHN" })),
    h("label", {}, "Per", h("select", { name: "by" }, ["day", "week", "month"].map((b) =>
      h("option", { value: b, selected: b === by }, b)))),
    h("button", { type: "submit", class: "primary" }, "Show"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const p = new URLSearchParams();
    if (data.get("dyad")) p.set("dyad", data.get("dyad"));
    else if (data.get("actor")) p.set("actor", data.get("actor"));
    p.set("by", data.get("by"));
    location.hash = "#/timeline?" + p;
  });
  clear(root).append(h("h1", {}, "Timeline"), form);
  if (!actor && !dyad) {
    root.append(h("p", { class: "muted" }, "Choose an actor or a dyad: counts per QuadClass over time."));
    return;
  }
  try {
    const page = await api("/api/timeline", { params: dyad ? { dyad, by } : { actor, by } });
    const label = params.get("label") || dyad || actor;
    root.append(timelineChart(page.items, { title: `${label}: stories per ${by} by QuadClass` }));
    setStatus("");
  } catch (err) {
    setStatus(explain(err), true);
  }
}

export async function renderSearch(root, params) {
  const q = params.get("q") || "";
  const form = h("form", { class: "timeline-form", role: "search" },
    h("label", {}, "Search actors and quotes", h("input", { name: "q", value: q, id: "search-input" })),
    h("button", { type: "submit", class: "primary" }, "Search"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = "#/search?q=" + encodeURIComponent(new FormData(form).get("q") || "");
  });
  clear(root).append(h("h1", {}, "Search"), form);
  if (!q) return;
  try {
    // what an actor says and what is said about it are different questions: two lists
    const [actors, by, about, words] = await Promise.all([
      api("/api/actors", { params: { name: q, limit: 50 } }),
      api("/api/quotes", { params: { speaker: q, limit: 50 } }),
      api("/api/quotes", { params: { about: q, limit: 50 } }),
      api("/api/quotes", { params: { search: q, limit: 50 } }),
    ]);
    const said = new Set(by.items.map((qt) => qt.id));
    const seen = new Set();
    const mentioning = [...about.items, ...words.items].filter((qt) => !said.has(qt.id) && !seen.has(qt.id) &&
      seen.add(qt.id));
    root.append(h("div", { class: "results" },
      h("section", { class: "card", "aria-label": "Actors" }, h("h2", {}, `Actors (${actors.total})`),
        h("ul", { class: "actor-list" }, actors.items.map((a) => h("li", { class: "item" },
          h("strong", {}, a.name), ` ${a.kind}${a.country ? " · " + a.country : ""}${a.role ? " · " + a.role : ""}`,
          h("div", { class: "meta" }, `${a.mention_count ?? 0} mentions · ${a.event_count ?? 0} events · ` +
            `${a.quote_count ?? 0} quotes · `,
          h("a", { href: `#/timeline?${new URLSearchParams({ actor: a.id, label: a.name })}` }, "timeline")))))),
      h("section", { class: "card", "aria-label": "Quotes by" }, h("h2", {}, `Quotes by ${q} (${by.total})`),
        quoteList(by.items, "Nobody of that name is quoted.")),
      h("section", { class: "card", "aria-label": "Quotes mentioning" },
        h("h2", {}, `Quotes mentioning ${q} (${mentioning.length})`),
        quoteList(mentioning, "No quote mentions it."))));
    setStatus("");
  } catch (err) {
    setStatus(explain(err), true);
  }
}

export function renderIngest(root) {
  const result = h("div", { id: "ingest-result", "aria-live": "polite" });
  const form = h("form", { class: "ingest-form", id: "ingest-form" },
    h("p", { class: "muted" }, "Paste an article's text, or give a URL for the server to fetch. ",
      "Storing needs an API key (top right)."),
    h("label", { for: "ingest-text" }, "Article text"),
    h("textarea", { id: "ingest-text", name: "text", placeholder: "Paste the article text here…" }),
    h("div", { class: "row" },
      h("label", {}, "or URL", h("input", { name: "url", type: "url", placeholder: "https://…" })),
      h("label", {}, "Title (optional)", h("input", { name: "title" })),
      h("label", {}, "Published (optional)", h("input", { name: "published", type: "date" })),
      h("label", {}, "Source (optional)", h("input", { name: "source" }))),
    h("div", {}, h("button", { type: "submit", class: "primary" }, "Extract and store")),
    result);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const body = {};
    for (const k of ["title", "published", "source"]) if (data.get(k)) body[k] = data.get(k);
    if (String(data.get("text") || "").trim()) body.text = data.get("text");
    else if (data.get("url")) body.url = data.get("url");
    else {
      setStatus("Paste some text or give a URL.", true);
      return;
    }
    if (!getKey()) {
      setStatus("Storing an article needs an API key: enter it at the top right.", true);
      return;
    }
    setStatus("Extracting… (the first article loads the language model)");
    clear(result);
    try {
      const { data: extraction, response } = await api("/api/articles", { method: "POST", body, withResponse: true });
      // The store may give the article another id than the extraction's (ids are unique per store).
      const id = response.headers.get("X-Newsgraph-Article-Id") || extraction.article.id;
      setStatus(response.status === 200 ? "This article was stored already; showing its new extraction." : "");
      result.append(h("div", { class: "card" },
        h("h2", {}, (response.status === 201 ? "Stored: " : "Already stored: ") +
          (extraction.article.title || `untitled article ${id}`)),
        h("p", {}, `${plural(extraction.actors, "actor")}, ${plural(extraction.quotes, "quote")}, ` +
          `${plural(extraction.events, "event")}.`),
        h("p", {}, articleLink({ article_id: id, article_title: "Open the annotated article" }), " · ",
          h("a", { href: "#/network" }, "See the network"))));
    } catch (err) {
      setStatus(explain(err), true);
    }
  });
  clear(root).append(h("h1", {}, "Ingest"), form);
}

export { field };
