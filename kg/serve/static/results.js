// SPARQL JSON results: terms, sorting, the table and CSV (RFC 4180).
// Every value from the data is put in the page with textContent, never as HTML.

const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(
  [
    "integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "nonPositiveInteger", "negativeInteger", "positiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
  ].map((name) => XSD + name),
);
const PREFIXES = [
  ["hr:", "https://w3id.org/hrkg/ontology#"],
  ["id:", "https://w3id.org/hrkg/id/"],
  ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"],
  ["skos:", "http://www.w3.org/2004/02/skos/core#"],
  ["dcterms:", "http://purl.org/dc/terms/"],
  ["xsd:", XSD],
  ["schema:", "https://schema.org/"],
];
export const MAX_RENDERED_ROWS = 2000;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** True for a literal whose datatype is one of XSD's numeric types. */
export function isNumeric(term) {
  return Boolean(term && term.type === "literal" && NUMERIC.has(term.datatype));
}

/** True for a literal that is a date, a time or a number: an attribute, not an actor. */
export function isValueLiteral(term) {
  return Boolean(term && term.type === "literal" && term.datatype && term.datatype !== XSD + "string");
}

/** An IRI written with a known prefix (id:person/x), or the IRI itself. */
export function shorten(iri) {
  for (const [prefix, namespace] of PREFIXES) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) {
      return prefix + iri.slice(namespace.length);
    }
  }
  return iri;
}

/** Compare two terms for sorting: unbound last, numbers by value, the rest by text. */
function compareTerms(a, b) {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(a.value);
    const y = Number(b.value);
    if (x !== y) return x < y ? -1 : 1;
    return 0;
  }
  return collator.compare(a.value, b.value);
}

/** The rows (arrays of terms or null) sorted by column `index`, `dir` 1 or -1; stable. */
export function sortRows(rows, index, dir) {
  return rows
    .map((row, position) => [row, position])
    .sort(([a, i], [b, j]) => {
      const order = compareTerms(a[index], b[index]);
      // unbound cells stay last whichever the direction
      if (!a[index] !== !b[index]) return order;
      return order * dir || i - j;
    })
    .map(([row]) => row);
}

/** Rows of terms from a SPARQL 1.1 JSON results document. */
export function rowsOf(data) {
  const vars = (data.head && data.head.vars) || [];
  const bindings = (data.results && data.results.bindings) || [];
  return { vars, rows: bindings.map((b) => vars.map((v) => b[v] || null)) };
}

/** The result as CSV text: header line, CRLF line ends, fields quoted when needed (RFC 4180). */
export function toCsv(vars, rows) {
  const field = (text) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [vars.map(field).join(",")];
  for (const row of rows) lines.push(row.map((t) => field(t ? t.value : "")).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** Fill `table` with the variables and rows; headers are sort buttons calling onSort(index). */
export function renderTable(table, vars, rows, sort, onSort) {
  const thead = table.tHead;
  const tbody = table.tBodies[0];
  const headRow = document.createElement("tr");
  vars.forEach((name, index) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.var = name;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = name;
    const arrow = document.createElement("span");
    arrow.className = "arrow";
    arrow.setAttribute("aria-hidden", "true");
    if (sort && sort.index === index) {
      th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
      arrow.textContent = sort.dir > 0 ? "▲" : "▼";
    } else {
      th.setAttribute("aria-sort", "none");
      arrow.textContent = "↕";
    }
    button.append(arrow);
    button.addEventListener("click", () => onSort(index));
    th.append(button);
    headRow.append(th);
  });
  thead.replaceChildren(headRow);

  const fragment = document.createDocumentFragment();
  for (const row of rows.slice(0, MAX_RENDERED_ROWS)) {
    const tr = document.createElement("tr");
    for (const term of row) {
      const td = document.createElement("td");
      if (term) {
        td.dataset.value = term.value;
        if (term.type === "uri") {
          td.textContent = shorten(term.value);
          td.title = term.value;
          td.className = "iri";
        } else if (term.type === "bnode") {
          td.textContent = `_:${term.value}`;
          td.className = "bnode";
        } else {
          td.textContent = term.value;
          if (isNumeric(term)) td.className = "num";
          else if (term.value.length > 60) td.className = "long";
          if (term["xml:lang"]) td.lang = term["xml:lang"];
        }
      } else {
        td.className = "unbound";
      }
      tr.append(td);
    }
    fragment.append(tr);
  }
  tbody.replaceChildren(fragment);
}
