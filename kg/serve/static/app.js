// hrkg web page: pick a named query, fill its parameters, run it, see the rows
// as a sortable table or as a graph, download them as CSV.
// Text from the server or the data is only ever set with textContent.

import { KINDS, draw, graphElements } from "./graph.js";
import { MAX_RENDERED_ROWS, renderTable, rowsOf, sortRows, toCsv } from "./results.js";

const RESULTS_JSON = "application/sparql-results+json";
const $ = (id) => document.getElementById(id);

const state = {
  queries: new Map(),
  current: null, // the picked named query
  originalText: "",
  result: null, // { vars, rows, name } of the last successful SELECT
  sort: null, // { index, dir }
  graphOf: null, // the result drawn in the graph view
  cy: null,
  running: null, // AbortController of the request under way
};

// ---------- server ----------

/** A one-line message from a failed response: its JSON `error`, or the start of its text. */
async function errorOf(response) {
  const text = await response.text();
  let message = text;
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === "string") message = body.error;
  } catch {
    // not JSON: keep the text
  }
  message = message.replace(/\s+/g, " ").trim() || response.statusText;
  if (message.length > 400) message = message.slice(0, 399) + "…";
  return `${response.status}: ${message}`;
}

/** POST SPARQL text to /sparql (form-encoded) and return the JSON results. */
async function postSparql(text, signal) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { Accept: RESULTS_JSON },
    body: new URLSearchParams({ query: text }),
    signal,
  });
  if (!response.ok) throw new Error(await errorOf(response));
  return response.json();
}

// ---------- query picker and parameters ----------

async function loadQueries() {
  const picker = $("query-picker");
  try {
    const response = await fetch("/queries", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(await errorOf(response));
    const list = await response.json();
    picker.replaceChildren();
    for (const query of list) {
      state.queries.set(query.name, query);
      const option = document.createElement("option");
      option.value = query.name;
      option.textContent = query.title ? `${query.title} (${query.name})` : query.name;
      picker.append(option);
    }
    const wanted = new URLSearchParams(location.hash.slice(1)).get("query");
    const first = state.queries.has(wanted) ? wanted : list.length ? list[0].name : null;
    if (first) {
      picker.value = first;
      selectQuery(first);
    }
  } catch (error) {
    const option = document.createElement("option");
    option.value = "";
    option.textContent = "No named queries";
    picker.replaceChildren(option);
    showError(`Could not load the named queries (${error.message})`);
  }
}

function selectQuery(name) {
  const query = state.queries.get(name);
  state.current = query || null;
  $("query-description").textContent = query ? query.description || "" : "";
  const example = $("query-example");
  example.hidden = !(query && query.example);
  example.querySelector("code").textContent = query ? query.example || "" : "";
  buildParamFields(query ? query.params || [] : []);
  state.originalText = query ? query.text : "";
  $("editor").value = state.originalText;
  if (query) history.replaceState(null, "", `#query=${encodeURIComponent(name)}`);
  updateMode();
}

function buildParamFields(params) {
  const box = $("param-fields");
  box.replaceChildren();
  $("params").hidden = params.length === 0;
  for (const param of params) {
    const id = `param-${param.name}`;
    const field = document.createElement("div");
    field.className = "field param";

    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = param.name;
    const meta = document.createElement("span");
    meta.className = "meta";
    const hasDefault = param.default !== null && param.default !== undefined && param.default !== "";
    meta.textContent = ` ${param.type}${hasDefault ? ` · default: ${param.default}` : " · optional"}`;
    label.append(meta);

    const input = document.createElement("input");
    input.id = id;
    input.name = param.name;
    input.type = "text";
    input.autocomplete = "off";
    input.spellcheck = false;
    if (["int", "year"].includes(param.type)) input.inputMode = "numeric";
    input.value = hasDefault ? param.default : "";
    input.placeholder = hasDefault ? String(param.default) : "any";
    input.dataset.param = param.name;

    field.append(label, input);
    if (param.description) {
      const help = document.createElement("p");
      help.id = `${id}-help`;
      help.className = "description";
      help.textContent = param.description;
      input.setAttribute("aria-describedby", help.id);
      field.append(help);
    }
    box.append(field);
  }
}

function paramValues() {
  const values = [];
  for (const input of $("param-fields").querySelectorAll("input[data-param]")) {
    if (input.value.trim() !== "") values.push([input.dataset.param, input.value]);
  }
  return values;
}

/** True when the editor holds the picked query's own text: run it by name with parameters. */
const runsNamed = () => Boolean(state.current) && $("editor").value === state.originalText;

function updateMode() {
  const named = runsNamed();
  $("params").disabled = !named;
  $("reset-text").disabled = named || !state.current;
  $("params-note").textContent = named
    ? ""
    : "The text was edited: parameters are not applied; restore the text to use them.";
  $("run-mode").textContent = named
    ? `Runs the named query “${state.current.name}” with these parameters.`
    : "Runs the text as written, through /sparql.";
}

// ---------- running ----------

async function run() {
  if (state.running) state.running.abort();
  const controller = new AbortController();
  state.running = controller;
  const named = runsNamed();
  const text = $("editor").value;
  if (!named && !text.trim()) {
    showError("The editor is empty: pick a named query or write SPARQL.");
    return;
  }
  const params = named ? paramValues() : [];
  const name = named ? state.current.name : "sparql-query";
  const description = named
    ? `${name}${params.length ? ` (${params.map(([k, v]) => `${k} = ${v}`).join(", ")})` : ""}`
    : "edited SPARQL";

  showError(null);
  setStatus(`Running ${description}…`);
  $("run").disabled = true;
  $("results").setAttribute("aria-busy", "true");
  const started = performance.now();
  try {
    let response;
    if (named) {
      const query = new URLSearchParams(params).toString();
      const url = `/queries/${encodeURIComponent(name)}${query ? `?${query}` : ""}`;
      response = await fetch(url, { headers: { Accept: RESULTS_JSON }, signal: controller.signal });
    } else {
      response = await fetch("/sparql", {
        method: "POST",
        headers: { Accept: RESULTS_JSON },
        body: new URLSearchParams({ query: text }),
        signal: controller.signal,
      });
    }
    if (!response.ok) throw new Error(await errorOf(response));
    const data = await response.json();
    const elapsed = Math.round(performance.now() - started);
    const truncated = response.headers.get("X-HRKG-Truncated") === "true";
    if (typeof data.boolean === "boolean") {
      showResult({ vars: ["answer"], rows: [[{ type: "literal", value: String(data.boolean) }]], name });
      setStatus(`ASK: ${data.boolean ? "true" : "false"} · ${elapsed} ms · ${description}`);
      return;
    }
    const { vars, rows } = rowsOf(data);
    showResult({ vars, rows, name });
    const count = `${rows.length} ${rows.length === 1 ? "row" : "rows"}`;
    const shown = rows.length > MAX_RENDERED_ROWS ? ` (table shows the first ${MAX_RENDERED_ROWS}; CSV has all)` : "";
    const cut = truncated ? " · cut at the server's row limit" : "";
    setStatus(`${count}${shown} · ${elapsed} ms · ${description}${cut}`);
  } catch (error) {
    if (error.name === "AbortError") return;
    showResult(null);
    setStatus(`Failed after ${Math.round(performance.now() - started)} ms · ${description}`);
    showError(error instanceof TypeError ? `Could not reach the server (${error.message})` : error.message);
  } finally {
    if (state.running === controller) {
      state.running = null;
      $("run").disabled = false;
      $("results").removeAttribute("aria-busy");
    }
  }
}

function setStatus(text) {
  $("status").textContent = text;
}

function showError(message) {
  const box = $("error");
  box.hidden = !message;
  box.textContent = message ? `Error ${message}` : "";
}

function showResult(result) {
  state.result = result;
  state.sort = null;
  $("download-csv").disabled = !result || result.vars.length === 0;
  renderCurrent();
  if (!$("panel-graph").hidden) drawGraph();
}

function renderCurrent() {
  const table = $("results-table");
  table.parentElement.hidden = !state.result;
  if (!state.result) {
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren();
    return;
  }
  renderTable(table, state.result.vars, currentRows(), state.sort, sortBy);
}

function currentRows() {
  const { rows } = state.result;
  return state.sort ? sortRows(rows, state.sort.index, state.sort.dir) : rows;
}

function sortBy(index) {
  const dir = state.sort && state.sort.index === index ? -state.sort.dir : 1;
  state.sort = { index, dir };
  renderCurrent();
  // keep the keyboard focus on the header that was activated
  const button = $("results-table").tHead.querySelectorAll("button.sort")[index];
  if (button) button.focus();
}

function downloadCsv() {
  if (!state.result) return;
  const blob = new Blob([toCsv(state.result.vars, currentRows())], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${state.result.name.replace(/[^\w.-]+/g, "_")}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---------- graph view ----------

async function drawGraph() {
  const result = state.result;
  if (state.graphOf === result && state.cy) {
    state.cy.resize();
    return;
  }
  state.graphOf = result;
  if (state.cy) {
    state.cy.destroy();
    state.cy = null;
    window.hrkgGraph = null;
  }
  clearDetails();
  const status = $("graph-status");
  if (!result || result.rows.length === 0) {
    status.textContent = "Nothing to draw: run a query that returns rows.";
    return;
  }
  if (typeof window.cytoscape !== "function") {
    status.textContent = "The graph library did not load.";
    return;
  }
  status.textContent = "Looking up the entities of the result…";
  try {
    const { elements, fallback, nodeCount, edgeCount } = await graphElements(result.rows, (text) =>
      postSparql(text),
    );
    if (state.graphOf !== result) return; // a newer result arrived meanwhile
    state.cy = draw($("graph"), elements);
    window.hrkgGraph = state.cy;
    state.cy.on("tap", "node", (event) => showDetails(event.target.data()));
    fillNodeList();
    status.textContent =
      `${nodeCount} nodes, ${edgeCount} links (values in the same row are linked)` +
      (fallback ? "; no value is an entity of the graph, so the values themselves are drawn" : "");
  } catch (error) {
    status.textContent = "";
    showError(`drawing the graph: ${error.message}`);
  }
}

function fillNodeList() {
  const list = $("node-list");
  const first = document.createElement("option");
  first.value = "";
  first.textContent = "Find a node…";
  const options = [first];
  const nodes = state.cy.nodes().map((node) => node.data());
  nodes.sort((a, b) => a.label.localeCompare(b.label));
  for (const data of nodes) {
    const option = document.createElement("option");
    option.value = data.id;
    option.textContent = `${data.label} (${data.kind})`;
    options.push(option);
  }
  list.replaceChildren(...options);
  list.disabled = nodes.length === 0;
}

function focusNode(id) {
  if (!state.cy || !id) return;
  const node = state.cy.getElementById(id);
  if (node.empty()) return;
  state.cy.nodes().unselect();
  node.select();
  state.cy.animate({ center: { eles: node }, zoom: Math.max(state.cy.zoom(), 1.2) }, { duration: 200 });
  showDetails(node.data());
}

function clearDetails() {
  $("node-details").querySelector("dl").hidden = true;
  $("node-details").querySelector(".note").hidden = false;
  $("node-list").replaceChildren();
  $("node-list").disabled = true;
}

function showDetails(data) {
  const box = $("node-details");
  box.querySelector(".note").hidden = true;
  box.querySelector("dl").hidden = false;
  $("detail-label").textContent = data.label;
  $("detail-kind").textContent = data.kind;
  $("detail-types").textContent = data.types.map((t) => t.replace(/^.*[#/]/, "")).join(", ") || "–";
  $("detail-iri").textContent = data.iris.join(" ") || "–";
  const rows = [...new Set(data.rows)];
  $("detail-rows").textContent = rows.length > 12 ? `${rows.slice(0, 12).join(", ")}, …` : rows.join(", ");
}

function fillLegend() {
  const legend = $("legend");
  for (const [kind, colour] of KINDS) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.backgroundColor = colour;
    item.append(swatch, kind);
    legend.append(item);
  }
}

// ---------- tabs ----------

function selectTab(tab) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute("aria-controls")).hidden = !selected;
  }
  if (tab.id === "tab-graph") drawGraph();
}

function onTabKey(event) {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const at = tabs.indexOf(event.currentTarget);
  const moves = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  const next = tabs[(moves[event.key] + tabs.length) % tabs.length];
  next.focus();
  selectTab(next);
}

// ---------- wiring ----------

function init() {
  $("endpoint-url").textContent = new URL("/sparql", location.href).href;
  $("query-picker").addEventListener("change", (event) => selectQuery(event.target.value));
  $("editor").addEventListener("input", updateMode);
  $("editor").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  $("reset-text").addEventListener("click", () => {
    $("editor").value = state.originalText;
    updateMode();
    $("editor").focus();
  });
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  $("download-csv").addEventListener("click", downloadCsv);
  $("node-list").addEventListener("change", (event) => focusNode(event.target.value));
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", onTabKey);
  }
  fillLegend();
  clearDetails();
  updateMode();
  loadQueries();
}

init();
