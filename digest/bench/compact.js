/* Rebuild a lunr.Index (lunr.js 2.3.9) from the compact postings encoding of digest/bench/compact.py.
 *
 * The scores are recomputed with lunr.Builder.prototype.createFieldVectors's formula, so the index
 * answers every query as lunr.Index.load of the full serialisation would. Needs lunr.js, and every
 * pipeline function the payload names registered first (lunr.multiLanguage('en', 'ru')).
 */
(function () {
  "use strict";

  function decodeCompactIndex(c) {
    const fields = c.fields, boosts = c.boosts, n = c.n, k1 = c.k1, b = c.b;
    const terms = c.terms, postings = c.p, lengths = c.len, avg = c.avg;
    const invertedIndex = Object.create(null);
    const vectors = Object.create(null);
    const docs = [], freqs = [], fieldOf = [];
    for (let t = 0; t < terms.length; t++) {
      const posting = { _index: t };
      for (let f = 0; f < fields.length; f++) posting[fields[f]] = Object.create(null);
      docs.length = 0; freqs.length = 0; fieldOf.length = 0;
      const parts = postings[t].split(";");
      for (let p = 0; p < parts.length; p++) {
        const part = parts[p];
        const colon = part.indexOf(":");
        const f = +part.slice(0, colon);
        const items = part.slice(colon + 1).split(",");
        let ref = 0;
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          const star = item.indexOf("*");
          ref += parseInt(star < 0 ? item : item.slice(0, star), 36);
          docs.push(ref); freqs.push(star < 0 ? 1 : parseInt(item.slice(star + 1), 36)); fieldOf.push(f);
        }
      }
      const withTerm = docs.length; // lunr.idf counts a document once per field that holds the term
      const x = (n - withTerm + 0.5) / (withTerm + 0.5);
      const idf = Math.log(1 + Math.abs(x));
      for (let i = 0; i < docs.length; i++) {
        const f = fieldOf[i], ref = docs[i], tf = freqs[i], field = fields[f];
        posting[field][ref] = {};
        let score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[f][ref] / avg[f])) + tf);
        score *= boosts[f];
        score = Math.round(score * 1000) / 1000;
        const key = field + "/" + ref;
        (vectors[key] || (vectors[key] = [])).push(t, score);
      }
      invertedIndex[terms[t]] = posting;
    }
    const fieldVectors = Object.create(null);
    for (const key in vectors) fieldVectors[key] = new lunr.Vector(vectors[key]);
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(terms),
      fields: fields.slice(),
      pipeline: lunr.Pipeline.load(c.pipeline),
    });
  }

  /* The same index, decoded lazily: a term's postings and its entries in the field vectors are
   * decoded the first time a query expands to it. lunr.Index.query looks every expanded term up
   * through this.tokenSet.intersect(...).toArray(), so wrapping that one call decodes exactly the
   * terms a query needs, before lunr reads them. Scores are identical: lunr's similarity is the dot
   * product of the query vector with the field vector, which only reads the query's own terms. */
  function lazyCompactIndex(c) {
    const fields = c.fields, boosts = c.boosts, n = c.n, k1 = c.k1, b = c.b;
    const terms = c.terms, postings = c.p, lengths = c.len, avg = c.avg;
    const position = new Map();
    for (let t = 0; t < terms.length; t++) position.set(terms[t], t);
    const invertedIndex = Object.create(null);
    const fieldVectors = Object.create(null);
    let tokenSet = null;

    function decodeTerm(term) {
      if (term in invertedIndex) return;
      const t = position.get(term);
      if (t === undefined) return;
      const posting = { _index: t };
      for (let f = 0; f < fields.length; f++) posting[fields[f]] = Object.create(null);
      const entries = [];
      const parts = postings[t].split(";");
      for (let p = 0; p < parts.length; p++) {
        const part = parts[p];
        const colon = part.indexOf(":");
        const f = +part.slice(0, colon);
        const items = part.slice(colon + 1).split(",");
        let ref = 0;
        for (let i = 0; i < items.length; i++) {
          const star = items[i].indexOf("*");
          ref += parseInt(star < 0 ? items[i] : items[i].slice(0, star), 36);
          entries.push(f, ref, star < 0 ? 1 : parseInt(items[i].slice(star + 1), 36));
        }
      }
      const withTerm = entries.length / 3;
      const idf = Math.log(1 + Math.abs((n - withTerm + 0.5) / (withTerm + 0.5)));
      for (let i = 0; i < entries.length; i += 3) {
        const f = entries[i], ref = entries[i + 1], tf = entries[i + 2], field = fields[f];
        posting[field][ref] = {};
        let score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[f][ref] / avg[f])) + tf);
        score = Math.round(score * boosts[f] * 1000) / 1000;
        const key = field + "/" + ref;
        (fieldVectors[key] || (fieldVectors[key] = new lunr.Vector())).insert(t, score);
      }
      invertedIndex[term] = posting;
    }

    // A query term without wildcard or edit distance reaches intersect as a chain of single edges:
    // answer it from the term table, and build the whole token set only for * and ~ queries.
    function chainWord(node) {
      let word = "";
      for (;;) {
        const keys = Object.keys(node.edges);
        if (node.final) return keys.length === 0 ? word : null;
        if (keys.length !== 1 || keys[0] === "*") return null;
        word += keys[0];
        node = node.edges[keys[0]];
      }
    }

    const lazyTokens = {
      intersect(other) {
        const word = chainWord(other);
        if (word !== null) {
          const list = position.has(word) ? [word] : [];
          return { toArray() { list.forEach(decodeTerm); return list; } };
        }
        if (!tokenSet) tokenSet = lunr.TokenSet.fromArray(terms);
        const found = tokenSet.intersect(other);
        return { toArray() { const list = found.toArray(); list.forEach(decodeTerm); return list; } };
      },
    };
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lazyTokens,
      fields: fields.slice(),
      pipeline: lunr.Pipeline.load(c.pipeline),
    });
  }

  window.decodeCompactIndex = decodeCompactIndex;
  window.lazyCompactIndex = lazyCompactIndex;
})();
