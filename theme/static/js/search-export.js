/* Taking search results away: the search page's results (query and filters applied) as CSV and as
 * JSON, made in the browser, so that it works from file:// as well as over http.
 *
 * search.js says which results are on the page (the event "digest:results" on #search-app: the refs
 * of every result, in order, not only the first page's, whose rows the page has not loaded). The files
 * have the columns and values of the archive's data/articles.csv and data/articles.json
 * (digest/export.py): on the first download this loads data/articles.js, a classic script with the
 * same records in the same order as the search index's refs, the CSV's columns and the starts of text
 * a spreadsheet runs as a formula, so CSV cells are made inert exactly as the export's are. The file
 * is handed over with a Blob and a download link. Its sentences are the template's (js/page-text.js).
 * A classic script, loaded before search.js.
 */
(function () {
  "use strict";

  const app = document.getElementById("search-app");
  const box = document.getElementById("search-export");
  if (!app || !box) return;
  const text = window.digestText;
  const sentence = box.querySelector("[data-export-text]");
  let offered = { state: {}, refs: [] };
  let archive = null; // a promise of window.DIGEST_ARTICLES

  app.addEventListener("digest:results", (event) => {
    offered = event.detail;
    box.hidden = !offered.refs.length;
    if (offered.refs.length) sentence.textContent = text.plural(box, "count", offered.refs.length);
  });

  function loadArchive() {
    if (!archive) {
      archive = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = box.dataset.script;
        s.onload = () => (window.DIGEST_ARTICLES ? resolve(window.DIGEST_ARTICLES) : reject(new Error("empty")));
        s.onerror = () => reject(new Error("could not load " + s.src));
        document.head.appendChild(s);
      });
      archive.catch(() => { archive = null; }); // the next click tries again
    }
    return archive;
  }

  // The archive's records of the results offered, in their order (the records are in ref order); null
  // when the records are not those of the index the page searched (another build's).
  function recordsOf(data, offer) {
    const sample = offer.sample && data.articles[offer.sample.ref];
    const sameUrl = (url, relative) => url === relative || url.endsWith("/" + relative);
    if (data.articles.length !== offer.total || (offer.sample && !(sample && sameUrl(sample.url, offer.sample.url)))) return null;
    return offer.refs.map((ref) => data.articles[ref]);
  }

  // One cell as digest/export.py's to_csv writes it: lists joined with "; ", true/false, nothing
  // for null, an apostrophe before text a spreadsheet would run as a formula, quotes where needed.
  function csvCell(value, formulaStarts) {
    let cell = value;
    if (cell === null || cell === undefined) return "";
    if (Array.isArray(cell)) cell = cell.join("; ");
    else if (typeof cell === "boolean") cell = cell ? "true" : "false";
    cell = String(cell);
    if (formulaStarts.some((start) => cell.startsWith(start))) cell = "'" + cell;
    return /[",\r\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  function toCsv(data, records) {
    const lines = [data.fields.join(",")];
    records.forEach((r) => lines.push(data.fields.map((f) => csvCell(r[f], data.formula_starts)).join(",")));
    return lines.join("\n") + "\n";
  }

  function toJson(records) {
    return JSON.stringify({ count: records.length, articles: records }, null, 1) + "\n";
  }

  // digest-search-kloop-KZ-2024.csv: the query's words and the filters, as far as a file name allows.
  function fileName(state, extension) {
    const words = String(state.q || "").match(/[\p{L}\p{N}]+/gu) || [];
    const parts = [box.dataset.filename || "search"].concat(words, [state.country, state.topic, state.year]);
    return parts.filter(Boolean).join("-").slice(0, 80) + "." + extension;
  }

  function hand(name, type, body) {
    const url = URL.createObjectURL(new Blob([body], { type: type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60000); // the download has started by then
  }

  function download(kind) {
    const wanted = offered;
    loadArchive().then((data) => {
      const records = recordsOf(data, wanted);
      if (!records) {
        sentence.textContent = text.text(box, "failed");
        return;
      }
      if (kind === "csv") hand(fileName(wanted.state, "csv"), "text/csv;charset=utf-8", toCsv(data, records));
      else hand(fileName(wanted.state, "json"), "application/json;charset=utf-8", toJson(records));
    }, () => {
      sentence.textContent = text.text(box, "failed");
    });
  }

  box.querySelectorAll("button[data-export]").forEach((button) => {
    button.addEventListener("click", () => download(button.dataset.export));
  });
})();
