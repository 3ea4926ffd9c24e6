// REST client: adds the API key (kept for this browser tab only) and turns problem+json errors
// into exceptions whose message is the server's explanation.
//
// A key the server says is not valid is not sent with reads on a public server (they need none), so a
// mistyped key never blanks the views; the key field says it is wrong (see onKeyState).

const KEY_STORAGE = "newsgraph.apiKey";

// "unchecked" | "valid" | "invalid", for the key in storage.
let keyState = "unchecked";
const keyListeners = [];
let serverInfo = null;

export function getKey() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}

export function setKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
  setKeyState(key ? "unchecked" : "none");
}

export function getKeyState() {
  return getKey() ? keyState : "none";
}

export function onKeyState(listener) {
  keyListeners.push(listener);
}

function setKeyState(state) {
  if (state === keyState) return;
  keyState = state;
  keyListeners.forEach((f) => f(getKeyState()));
}

// GET /api: the server's name, version and whether reads need a key (fetched once).
export function server() {
  serverInfo = serverInfo || fetch("/api", { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : { private: false })).catch(() => ({ private: false }));
  return serverInfo;
}

// Asks the server whether the stored key is valid (GET /api/access) and records the answer.
export async function checkKey() {
  if (!getKey()) return "none";
  try {
    await api("/api/access", { keyCheck: true });
    setKeyState("valid");
  } catch (err) {
    if (isInvalidKey(err)) setKeyState("invalid");
    else throw err;
  }
  return getKeyState();
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function isInvalidKey(err) {
  return err instanceof ApiError && err.status === 401 && /invalid-api-key$/.test(err.problem?.type || "");
}

export async function api(path, { method = "GET", params = null, body = null, withResponse = false,
  keyCheck = false } = {}) {
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
  const read = method === "GET" && !keyCheck;
  const isPrivate = read && getKey() ? (await server()).private : false;
  // A key known to be wrong would only turn a public read into a 401.
  const sendKey = getKey() && (!read || isPrivate || keyState !== "invalid");
  const send = async (withKey) => {
    const headers = { Accept: "application/json" };
    if (withKey) headers.Authorization = "Bearer " + getKey();
    if (body !== null) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === null ? null : JSON.stringify(body) });
    const type = response.headers.get("content-type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : { detail: data });
    return { data, response };
  };
  let result;
  try {
    result = await send(sendKey);
  } catch (err) {
    if (!(sendKey && isInvalidKey(err))) throw err;
    setKeyState("invalid");
    if (!read || isPrivate) throw err;
    result = await send(false); // a public read works without the key
  }
  return withResponse ? result : result.data;
}

export function explain(err) {
  if (isInvalidKey(err)) return err.message + " Check the API key at the top right.";
  if (err instanceof ApiError && err.status === 401) {
    return err.message + " Enter an API key at the top right.";
  }
  return err && err.message ? err.message : String(err);
}
