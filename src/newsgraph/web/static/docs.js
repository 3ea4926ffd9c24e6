// A small, offline renderer of /openapi.json (FastAPI's default docs page loads its code from a CDN).
import { clear, h } from "./dom.js";

function schemaText(schema, spec) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.anyOf) return schema.anyOf.map((s) => schemaText(s, spec)).join(" | ");
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.type === "array") return `array of ${schemaText(schema.items, spec)}`;
  const bounds = [schema.minimum !== undefined ? `≥ ${schema.minimum}` : "",
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : ""].filter(Boolean).join(", ");
  return (schema.format ? `${schema.type} (${schema.format})` : schema.type || "any") + (bounds ? ` ${bounds}` : "");
}

function operation(path, method, op, spec) {
  const params = op.parameters || [];
  const body = op.requestBody?.content?.["application/json"]?.schema;
  return h("section", { class: "card", id: `${method}-${path}` },
    h("h2", {}, h("span", { class: "tag" }, method.toUpperCase()), " ", h("code", {}, path)),
    h("p", {}, op.summary || ""), op.description ? h("p", { class: "muted" }, op.description) : null,
    params.length ? h("table", { class: "data" },
      h("thead", {}, h("tr", {}, ["parameter", "in", "type", "required", "description"].map((t) => h("th", {}, t)))),
      h("tbody", {}, params.map((p) => h("tr", {}, h("td", {}, h("code", {}, p.name)), h("td", {}, p.in),
        h("td", {}, schemaText(p.schema, spec)), h("td", {}, p.required ? "yes" : ""),
        h("td", {}, p.description || p.schema?.description || ""))))) : null,
    body ? h("p", {}, "JSON body: ", body.$ref ? h("a", { href: `#model-${schemaText(body)}` }, schemaText(body))
      : h("code", {}, schemaText(body, spec))) : null,
    h("p", { class: "muted" }, "Responses: ", Object.entries(op.responses || {}).map(([code, r]) =>
      `${code} ${r.description || ""}`).join(" · ")));
}

function model(name, schema) {
  const props = schema.properties || {};
  const required = new Set(schema.required || []);
  return h("section", { class: "card", id: `model-${name}` }, h("h3", {}, name),
    schema.description ? h("p", { class: "muted" }, schema.description) : null,
    h("table", { class: "data" }, h("tbody", {}, Object.entries(props).map(([k, v]) => h("tr", {},
      h("td", {}, h("code", {}, k)), h("td", {}, schemaText(v)), h("td", {}, required.has(k) ? "required" : ""),
      h("td", {}, v.description || ""))))));
}

async function main() {
  const root = document.getElementById("docs");
  const spec = await (await fetch("/openapi.json")).json();
  const ops = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) ops.push(operation(path, method, op, spec));
  }
  const models = Object.entries(spec.components?.schemas || {}).map(([n, s]) => model(n, s));
  clear(root).append(
    h("h1", {}, `${spec.info.title} ${spec.info.version}: REST API`),
    h("p", {}, spec.info.description || ""),
    h("p", { class: "muted" }, "Writes (POST) need 'Authorization: Bearer <api key>'; so do reads on a server ",
      "started with --private. Lists take limit and offset and answer {items, total, limit, offset}. ",
      "Errors are application/problem+json with type, title, status and detail."),
    ...ops, h("h2", {}, "Models"), ...models);
}

main().catch((err) => {
  document.getElementById("docs").textContent = "Could not load /openapi.json: " + err;
});
