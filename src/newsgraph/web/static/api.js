// REST client: adds the API key (kept for this browser tab only) and turns problem+json errors
// into exceptions whose message is the server's explanation.

const KEY_STORAGE = "newsgraph.apiKey";

export function getKey() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}

export function setKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = "GET", params = null, body = null, withResponse = false } = {}) {
  let url = path;
  if (params) {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === undefined || v === "") continue;
      if (Array.isArray(v)) v.forEach((x) => search.append(k, x));
      else search.append(k, v);
    }
    const qs = search.toString();
    if (qs) url += "?" + qs;
  }
  const headers = { Accept: "application/json" };
  const key = getKey();
  if (key) headers.Authorization = "Bearer " + key;
  if (body !== null) headers["Content-Type"] = "application/json";
  const response = await fetch(url, { method, headers, body: body === null ? null : JSON.stringify(body) });
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : { detail: data });
  return withResponse ? { data, response } : data;
}

export function explain(err) {
  if (err instanceof ApiError && err.status === 401) {
    return err.message + " Enter an API key at the top right.";
  }
  return err && err.message ? err.message : String(err);
}
