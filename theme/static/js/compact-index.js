/* Turn the digest's compact search index (digest/search/index.py, compact_postings) into a lunr.Index.
 *
 * The payload holds, per term, the documents that contain it in each field with the term frequency,
 * and each document's field lengths: not lunr's BM25 scores, which are most of a serialised index
 * and gzip poorly. This script recomputes each score with lunr.Builder's own formula, lazily: a
 * term's postings and its entries in the field vectors are decoded the first time a query expands
 * to it. lunr.Index.query looks every expanded term up through this.tokenSet.intersect(...).toArray(),
 * so wrapping that one call decodes exactly the terms a query needs, before lunr reads them. Scores
 * and rankings are those of lunr.Index.load on the full serialisation: lunr's similarity is the dot
 * product of the query vector with a field vector, which reads only the query's own terms.
 *
 * A term's position in the payload is its _index in lunr.py's index, so scores are summed in the
 * same order as there, to the last bit.
 *
 * A classic script (it must work from file://): defines window.digestCompactIndex(payload). Needs
 * lunr.js, and the pipeline functions the payload names registered first (lunr.multiLanguage).
 */
(function () {
  "use strict";

  function digestCompactIndex(c) {
    const fields = c.fields, boosts = c.boosts, n = c.n, k1 = c.k1, b = c.b;
    const terms = c.terms, packed = c.p, lengths = c.len, avg = c.avg;
    const position = new Map();
    for (let t = 0; t < terms.length; t++) position.set(terms[t], t);
    // Where each term's postings start in the packed string (they are separated by one space).
    const starts = new Int32Array(terms.length + 1);
    for (let t = 0, at = 0; t <= terms.length; t++) {
      starts[t] = at;
      const space = packed.indexOf(" ", at);
      at = space < 0 ? packed.length + 1 : space + 1;
    }
    const invertedIndex = Object.create(null);
    const fieldVectors = Object.create(null);
    let tokenSet = null;

    function decodeTerm(term) {
      if (term in invertedIndex) return;
      const t = position.get(term);
      if (t === undefined) return;
      const posting = { _index: t };
      for (let f = 0; f < fields.length; f++) posting[fields[f]] = Object.create(null);
      const entries = []; // field, ref, term frequency
      const parts = packed.slice(starts[t], starts[t + 1] - 1).split(";");
      for (let p = 0; p < parts.length; p++) {
        const colon = parts[p].indexOf(":");
        const f = +parts[p].slice(0, colon);
        const items = parts[p].slice(colon + 1).split(",");
        let ref = 0;
        for (let i = 0; i < items.length; i++) {
          const star = items[i].indexOf("*");
          ref += parseInt(star < 0 ? items[i] : items[i].slice(0, star), 36);
          entries.push(f, ref, star < 0 ? 1 : parseInt(items[i].slice(star + 1), 36));
        }
      }
      // lunr.idf counts a document once per field that holds the term.
      const withTerm = entries.length / 3;
      const idf = Math.log(1 + Math.abs((n - withTerm + 0.5) / (withTerm + 0.5)));
      for (let i = 0; i < entries.length; i += 3) {
        const f = entries[i], ref = entries[i + 1], tf = entries[i + 2], field = fields[f];
        posting[field][ref] = {};
        const score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[f][ref] / avg[f])) + tf);
        const key = field + "/" + ref;
        (fieldVectors[key] || (fieldVectors[key] = new lunr.Vector())).insert(t, Math.round(score * boosts[f] * 1000) / 1000);
      }
      invertedIndex[term] = posting;
    }

    // What lunr.TokenSet.fromString made of a query term: {word} for a plain word (a chain of single
    // edges to a final node), {prefix} for a trailing wildcard (journ*: the chain, then a final node
    // whose only edge is "*" to itself), null for anything else (fuzzy ~, leading or inner *).
    function shape(node) {
      let word = "";
      for (;;) {
        const keys = Object.keys(node.edges);
        if (keys.length === 1 && keys[0] === "*") {
          return node.final && node.edges["*"] === node ? { prefix: word } : null;
        }
        if (node.final) return keys.length === 0 ? { word: word } : null;
        if (keys.length !== 1) return null;
        word += keys[0];
        node = node.edges[keys[0]];
      }
    }

    let sorted = null;
    // Every term that starts with `prefix`, by binary search in the sorted terms.
    function withPrefix(prefix) {
      if (!sorted) sorted = terms.slice().sort();
      let lo = 0, hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < prefix) lo = mid + 1; else hi = mid;
      }
      const out = [];
      for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) out.push(sorted[i]);
      return out;
    }

    // Plain words and prefixes are answered from the term table; the whole token set (a trie of
    // every term, slow to build) is made only for fuzzy and inner-wildcard queries.
    const lazyTokenSet = {
      intersect(other) {
        const s = shape(other);
        let found;
        if (s && s.word !== undefined) {
          found = position.has(s.word) ? [s.word] : [];
        } else if (s) {
          // A token set of just these terms has the same shape under the prefix as the full one, so
          // lunr lists them in the same order: exact ties in score keep lunr.Index.load's order.
          const matching = withPrefix(s.prefix);
          found = matching.length ? lunr.TokenSet.fromArray(matching).intersect(other).toArray() : [];
        } else {
          if (!sorted) sorted = terms.slice().sort();
          if (!tokenSet) tokenSet = lunr.TokenSet.fromArray(sorted);
          found = tokenSet.intersect(other).toArray();
        }
        return { toArray() { found.forEach(decodeTerm); return found; } };
      },
    };
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lazyTokenSet,
      fields: fields.slice(),
      pipeline: lunr.Pipeline.load(c.pipeline),
    });
  }

  window.digestCompactIndex = digestCompactIndex;
})();
