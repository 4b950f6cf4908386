// The relationship view: the actors and events of a result drawn with cytoscape.js.
//
// Nodes are the IRIs of the result and the names in it that are labels (or event
// triggers) of entities in the store; one SPARQL query looks up their labels and
// types. Two nodes are joined when they appear in the same row.

import { isValueLiteral, shorten } from "./results.js";

const HR = "https://w3id.org/hrkg/ontology#";
const MAX_LOOKUP = 400;
const MAX_NODES = 600;
export const KINDS = [
  ["Person", "#2563eb"],
  ["Organisation", "#d97706"],
  ["Country", "#059669"],
  ["Place", "#7c3aed"],
  ["Event", "#db2777"],
  ["Article", "#92400e"],
  ["Other", "#6b7280"],
];
const COLOURS = Object.fromEntries(KINDS);
const NOT_EVENTS = new Set(["Article", "Mention", "Sentence", "Quantity", "RelationAssertion"]);

/** The kind a set of type IRIs stands for, used for the colour. */
export function kindOf(types) {
  const names = [...types].filter((t) => t.startsWith(HR)).map((t) => t.slice(HR.length));
  for (const kind of ["Person", "Organisation", "Country", "Place"]) {
    if (names.includes(kind)) return kind;
  }
  if (names.includes("Event")) return "Event";
  if (names.includes("Article")) return "Article";
  if (names.some((n) => !NOT_EVENTS.has(n))) return "Event";
  return "Other";
}

function sparqlString(text) {
  const escapes = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };
  return `"${text.replace(/[\\"\n\r\t\b\f]/g, (c) => escapes[c])}"`;
}

function literalTerm(term) {
  const lang = term["xml:lang"];
  if (lang) return /^[a-zA-Z]+(-[a-zA-Z0-9]+)*$/.test(lang) ? `${sparqlString(term.value)}@${lang}` : null;
  return sparqlString(term.value);
}

const validIri = (iri) => !/[<>"{}|^`\\\u0000-\u0020]/.test(iri);

/** The one SPARQL query that finds labels and types for the IRIs and names of the result. */
export function lookupQuery(iris, texts) {
  const branches = [];
  if (iris.length) {
    branches.push(`{
    VALUES ?x { ${iris.map((i) => `<${i}>`).join(" ")} }
    OPTIONAL { ?x rdfs:label|hr:trigger ?label }
    OPTIONAL { ?x a ?type }
  }`);
  }
  if (texts.length) {
    branches.push(`{
    VALUES ?text { ${texts.join(" ")} }
    ?x rdfs:label|skos:altLabel|hr:trigger ?text ; a ?type .
    OPTIONAL { ?x rdfs:label ?label }
  }`);
  }
  return `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX hr: <${HR}>
SELECT ?x ?text ?label ?type WHERE {
  ${branches.join("\n  UNION\n  ")}
}`;
}

/** What each cell of the result may be: an IRI, a name, or names joined by "; ". */
function candidates(rows) {
  const iris = new Map();
  const texts = new Map();
  for (const row of rows) {
    for (const term of row) {
      if (!term) continue;
      if (term.type === "uri" && validIri(term.value)) iris.set(term.value, term);
      if (term.type !== "literal" || isValueLiteral(term) || term.value.length > 200) continue;
      for (const part of [term.value, ...term.value.split("; ")]) {
        const literal = literalTerm({ ...term, value: part.trim() });
        if (part.trim() && literal) texts.set(part.trim(), literal);
      }
    }
  }
  return {
    iris: [...iris.keys()].slice(0, MAX_LOOKUP),
    texts: [...texts.entries()].slice(0, MAX_LOOKUP),
  };
}

/** Entities found by the lookup: by IRI and by name, with their labels and types. */
function entitiesOf(data) {
  const byIri = new Map();
  const byText = new Map();
  for (const b of (data.results && data.results.bindings) || []) {
    if (!b.x) continue;
    const map = b.text ? byText : byIri;
    const key = b.text ? b.text.value : b.x.value;
    if (!map.has(key)) map.set(key, { iris: new Set(), labels: new Set(), types: new Set() });
    const entry = map.get(key);
    entry.iris.add(b.x.value);
    if (b.label) entry.labels.add(b.label.value);
    if (b.type) entry.types.add(b.type.value);
  }
  return { byIri, byText };
}

/** Nodes and edges of the result; `fallback` draws plain values when no entity is known. */
export function buildElements(rows, entities) {
  const nodes = new Map();
  const edges = new Map();
  const cellNodes = (term, fallback) => {
    if (!term) return [];
    if (term.type === "uri") {
      const found = entities.byIri.get(term.value);
      const labels = found ? [...found.labels].sort() : [];
      return [["iri:" + term.value, labels[0] || shorten(term.value), found ? found.types : new Set(), [term.value]]];
    }
    if (term.type !== "literal" || isValueLiteral(term)) return [];
    // a name of exactly one entity is that entity's node, the same as its IRI's
    const named = (text, found) => {
      const iris = [...found.iris];
      const label = [...found.labels].sort()[0] || text;
      return iris.length === 1 ? ["iri:" + iris[0], label, found.types, iris] : ["text:" + text, text, found.types, iris];
    };
    const whole = entities.byText.get(term.value);
    if (whole) return [named(term.value, whole)];
    const parts = term.value.split("; ").map((p) => p.trim()).filter((p) => entities.byText.has(p));
    if (parts.length) return parts.map((p) => named(p, entities.byText.get(p)));
    return fallback && term.value.length <= 80 ? [["text:" + term.value, term.value, new Set(), []]] : [];
  };
  const draw = (fallback) => {
    rows.forEach((row, rowIndex) => {
      const here = new Set();
      for (const term of row) {
        for (const [id, label, types, iris] of cellNodes(term, fallback)) {
          if (!nodes.has(id)) {
            if (nodes.size >= MAX_NODES) continue;
            const kind = kindOf(types);
            nodes.set(id, { id, label, kind, color: COLOURS[kind], types: [...types], iris, rows: [] });
          }
          nodes.get(id).rows.push(rowIndex + 1);
          here.add(id);
        }
      }
      const ids = [...here].sort();
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          const key = `${ids[i]}\u0000${ids[j]}`;
          const edge = edges.get(key) || { source: ids[i], target: ids[j], count: 0 };
          edge.count += 1;
          edges.set(key, edge);
        }
      }
    });
  };
  draw(false);
  const fallback = nodes.size === 0;
  if (fallback) draw(true);
  const elements = [];
  for (const node of nodes.values()) {
    elements.push({ group: "nodes", data: { ...node, degree: 0, rowCount: new Set(node.rows).size } });
  }
  let index = 0;
  for (const edge of edges.values()) {
    elements.push({ group: "edges", data: { id: `e${index++}`, ...edge } });
  }
  return { elements, fallback, nodeCount: nodes.size, edgeCount: edges.size };
}

/** Look up the result's entities through `runSparql(text) -> JSON` and build the elements. */
export async function graphElements(rows, runSparql) {
  const { iris, texts } = candidates(rows);
  let entities = { byIri: new Map(), byText: new Map() };
  if (iris.length || texts.length) {
    const data = await runSparql(lookupQuery(iris, texts.map(([, literal]) => literal)));
    entities = entitiesOf(data);
  }
  return buildElements(rows, entities);
}

/** A force-directed layout for linked nodes; a grid when nothing is linked. */
function layoutFor(elements) {
  const linked = elements.some((e) => e.group === "edges");
  if (!linked) return { name: "grid", padding: 30, avoidOverlap: true, nodeDimensionsIncludeLabels: true };
  return {
    name: "cose",
    animate: false,
    randomize: true,
    nodeDimensionsIncludeLabels: true,
    nodeRepulsion: () => 20000,
    idealEdgeLength: () => 90,
    nodeOverlap: 20,
    gravity: 0.5,
    numIter: 2000,
    padding: 40,
  };
}

/** Draw the elements in `container`; returns the cytoscape instance. */
export function draw(container, elements) {
  const cy = window.cytoscape({
    container,
    elements,
    minZoom: 0.2,
    maxZoom: 3,
    boxSelectionEnabled: false,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          label: "data(label)",
          color: "#1f2937",
          "font-size": 11,
          "font-family": "system-ui, sans-serif",
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": "140px",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.75,
          "text-background-padding": "1px",
          width: "mapData(rowCount, 1, 20, 16, 40)",
          height: "mapData(rowCount, 1, 20, 16, 40)",
          "border-width": 1,
          "border-color": "#ffffff",
        },
      },
      {
        selector: "edge",
        style: {
          width: "mapData(count, 1, 10, 1, 6)",
          "line-color": "#cbd5e1",
          "curve-style": "haystack",
        },
      },
      {
        selector: "node:selected",
        style: { "border-width": 3, "border-color": "#111827" },
      },
    ],
    layout: layoutFor(elements),
  });
  // a small graph fitted to the view would be drawn huge
  if (cy.zoom() > 1.2) {
    cy.zoom(1.2);
    cy.center();
  }
  return cy;
}
