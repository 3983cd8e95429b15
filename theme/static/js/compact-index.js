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
 * The returned index's search(query, {typos}) also finds names however they are written
 * (digest/search/fold.py): each plain query word reaches every term whose folding key is the
 * word's (Хакимова, Hakimova, Xakimova -> Khakimova), and, when that finds nothing or almost
 * nothing (1 in 2,000 documents), the terms of the nearest keys at edit distance 1 (2 from eight
 * letters), ranked below exact ones and reported in results.corrections. Quoted words are required and listed in results.phrases
 * for the page to check against the text (containsPhrase); apostrophes are dropped as the index
 * does; a query of exclusions only returns every other document. plainSearch is lunr's own search.
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
    const plans = []; // expanded terms chosen by the name search for its clauses (see addNameSearch)

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
        if (s && s.word !== undefined && s.word[0] === "\u0001") {
          found = plans[+s.word.slice(1)] || [];
        } else if (s && s.word !== undefined) {
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
    const index = new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lazyTokenSet,
      fields: fields.slice(),
      pipeline: lunr.Pipeline.load(c.pipeline),
    });
    if (c.fold) addNameSearch(index, c, terms, position, fieldVectors, decodeTerm, plans);
    return index;
  }

  // ---- names in any script or spelling, typos, phrases (digest/search/fold.py) ---------------

  // fold.py's fold(), character for character: the table, rules and patterns come from the payload.
  // Also says which terms are their own key (plain ASCII that no rule changes), so that only the
  // others need folding when the index's keys are listed.
  function makeFold(spec) {
    const table = spec.table, rules = spec.rules;
    const pattern = new RegExp(spec.pattern, "g"), doubled = new RegExp(spec.doubled, "g");
    const changes = new RegExp("[^a-z0-9]|" + spec.pattern + "|" + spec.doubled);
    const LOWER_ASCII = /^[a-z0-9]*$/; // most terms: nothing to transliterate
    function fold(word) {
      if (LOWER_ASCII.test(word)) return word.replace(pattern, (m) => rules[m]).replace(doubled, (m) => m[0]);
      let key = "";
      for (const ch of word) { // by code point, as Python iterates a str
        if ((ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9")) key += ch;
        else if (ch >= "A" && ch <= "Z") key += ch.toLowerCase();
        else if (Object.prototype.hasOwnProperty.call(table, ch)) key += table[ch];
      }
      return key.replace(pattern, (m) => rules[m]).replace(doubled, (m) => m[0]);
    }
    fold.isOwnKey = (term) => !changes.test(term);
    return fold;
  }

  // Levenshtein distance of a and b, or max + 1 as soon as it must exceed max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let previous = new Array(b.length + 1);
    for (let j = 0; j <= b.length; j++) previous[j] = j;
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (row[j] < best) best = row[j];
      }
      if (best > max) return max + 1;
      previous = row;
    }
    return previous[b.length];
  }

  // Readers type ' where sources print ’; pipeline.py's normalise drops the same characters.
  const APOSTROPHES = /['`\u2018\u2019\u02bb\u02bc]/g;
  const MARK = "\u0001"; // a clause whose term is MARK + n takes plans[n] as its expanded terms
  // A word (all its spellings) found in at most this share of the documents is "almost nothing":
  // its typo candidates are tried too. Nothing at all, on a small site.
  const TYPO_SHARE = 1 / 2000;
  const TYPO_MIN_LENGTH = 4; // shorter words have too many neighbours at distance 1
  const TYPO_WEIGHT = 0.3; // a typo's match counts this much of an exact one

  function addNameSearch(index, c, terms, position, fieldVectors, decodeTerm, plans) {
    const fold = makeFold(c.fold);
    // The keys of the terms are worked out one first letter at a time, when a query word's key starts
    // with it: only the terms whose first character can fold to that letter are folded ("h" comes
    // from h, kh, x, х, һ, ҳ...). This is also how a chunked index would find them: the key's letter
    // names the chunks to load. Typo candidates share the first letter, so they come from the same set.
    const spec = c.fold;
    // letter -> the beginnings of the terms whose key can start with it: single characters (the letter
    // itself, Cyrillic and accented letters by the table) and the rules' spellings ("kh", "x" for h).
    const sources = new Map();
    const addSource = (letter, start) => {
      if (!letter) return;
      if (!sources.has(letter)) sources.set(letter, { chars: new Set([letter]), spellings: [] });
      const source = sources.get(letter);
      if (start.length === 1) source.chars.add(start); else source.spellings.push(start);
    };
    Object.keys(spec.table).forEach((ch) => addSource(fold(ch)[0], ch));
    Object.keys(spec.rules).forEach((spelling) => addSource(spec.rules[spelling][0], spelling));
    const byLetter = new Map(); // letter -> Map of key -> terms
    function keysFrom(letter) {
      let found = byLetter.get(letter);
      if (found) return found;
      found = new Map();
      byLetter.set(letter, found);
      const add = (key, term) => {
        const list = found.get(key);
        if (!list) found.set(key, [term]); else if (list.indexOf(term) < 0) list.push(term);
      };
      const source = sources.get(letter) || { chars: new Set([letter]), spellings: [] };
      const chars = source.chars, spellings = source.spellings;
      for (let t = 0; t < terms.length; t++) {
        const term = terms[t];
        if (!chars.has(term[0])) {
          let s = 0;
          while (s < spellings.length && !term.startsWith(spellings[s])) s++;
          if (s === spellings.length) continue;
        }
        const key = fold.isOwnKey(term) ? term : fold(term);
        if (key[0] === letter) add(key, term);
      }
      const extra = spec.extra || {};
      Object.keys(extra).forEach((key) => { if (key[0] === letter) extra[key].forEach((t) => add(key, terms[t])); });
      return found;
    }
    // Every term whose key is `key`.
    function reached(key) {
      return key ? (keysFrom(key[0]).get(key) || []).slice() : [];
    }
    // True when the terms of `list` together are in at most `limit` documents (counting stops past it).
    function inAtMost(list, limit) {
      const refs = new Set();
      for (const term of list) {
        decodeTerm(term);
        for (const f of fields) {
          for (const r in index.invertedIndex[term][f]) {
            refs.add(r);
            if (refs.size > limit) return false;
          }
        }
      }
      return true;
    }
    const fields = c.fields;
    // Terms within edit distance 1 (2 from 8 letters) of either key, the nearest only; same first letter.
    function typos(wanted, known) {
      let best = [], bestDistance = Infinity;
      wanted.forEach((key) => {
        if (key.length < TYPO_MIN_LENGTH) return;
        const max = key.length >= 8 ? 2 : 1;
        keysFrom(key[0]).forEach((_, other) => {
          const d = other === key ? 0 : distance(key, other, max);
          if (d === 0 || d > max || d > bestDistance) return;
          const found = reached(other).filter((t) => known.indexOf(t) < 0);
          if (!found.length) return;
          if (d < bestDistance) { best = []; bestDistance = d; }
          found.forEach((t) => { if (best.indexOf(t) < 0) best.push(t); });
        });
      });
      return best;
    }

    // Returns {text, phrases: [[word, ...]], unmatchedQuote}.
    function prepare(q) {
      let text = String(q).replace(/ё/g, "е").replace(/Ё/g, "Е").replace(APOSTROPHES, "");
      const phrases = [];
      const quotes = (text.match(/"/g) || []).length;
      if (quotes % 2 === 0) {
        text = text.replace(/"([^"]*)"/g, (m, inner) => {
          const words = inner.split(/[\s\-]+/).filter((w) => index.pipeline.runString(w.toLowerCase()).length);
          if (words.length > 1) phrases.push(words);
          // Every word of the phrase that is in the index is required; the order is checked on the text.
          return " " + words.filter((w) => position.has(index.pipeline.runString(w.toLowerCase())[0]))
            .map((w) => "+" + w).join(" ") + " ";
        });
      }
      return { text: text.replace(/"/g, " ").trim(), phrases: phrases };
    }

    const plainSearch = index.search;
    // options.typos === false: the words as typed, without typo candidates ("Search instead for").
    index.search = function (q, options) {
      const allowTypos = !(options && options.typos === false);
      const prepared = prepare(q);
      const corrections = [];
      const plain = function (query) {
        new lunr.QueryParser(prepared.text, query).parse();
        plans.length = 0;
        const original = query.clauses.slice();
        query.clauses = [];
        original.forEach((clause) => {
          if (!clause.usePipeline || clause.editDistance) { query.clauses.push(clause); return; }
          const word = clause.term;
          const stemmed = index.pipeline.runString(word, { fields: clause.fields });
          if (!stemmed.length) return; // the trimmer left nothing: lunr drops it too
          const stem = stemmed[0];
          const exact = position.has(stem) ? [stem] : [];
          const known = exact.slice();
          const wanted = [fold(word), fold(stem)];
          wanted.forEach((key) => reached(key).forEach((t) => { if (known.indexOf(t) < 0) known.push(t); }));
          let typo = [];
          if (allowTypos && clause.presence !== lunr.Query.presence.PROHIBITED && inAtMost(known, Math.floor(c.n * TYPO_SHARE))) {
            typo = typos(wanted, known);
            if (typo.length) corrections.push({ word: word, terms: typo });
          }
          const plan = (list, boost, presence) => {
            plans.push(list);
            query.clauses.push(Object.assign({}, clause, {
              term: MARK + (plans.length - 1), usePipeline: false, boost: boost, presence: presence,
            }));
          };
          if (!typo.length) { plan(known, clause.boost, clause.presence); return; }
          plan(known.concat(typo), clause.boost * TYPO_WEIGHT, clause.presence);
          if (known.length) plan(known, clause.boost * (1 - TYPO_WEIGHT), lunr.Query.presence.OPTIONAL);
        });
        if (query.clauses.length && query.isNegated()) {
          negated = query.clauses.every((clause) => clause.term[0] === MARK) ? query.clauses.slice() : null;
          if (negated) query.clauses = []; // answered below, without lunr
          else everyDocument();
        }
      };
      let negated = null;
      let results = index.query(plain);
      if (negated) results = allBut(negated);
      // Exclusions alone score every document 0: newest first (refs are in date order), as without a query.
      if (results.length && results.every((r) => r.score === 0)) results.sort((a, b) => a.ref - b.ref);
      results.phrases = prepared.phrases;
      results.corrections = corrections;
      return results;
    };
    index.plainSearch = plainSearch;
    index.fold = fold;

    // A query of exclusions only, answered directly: every document that none of the clauses'
    // terms is in (in the clauses' fields), with lunr's score for it, 0.
    function allBut(clauses) {
      const excluded = new Set();
      clauses.forEach((clause) => plans[+clause.term.slice(1)].forEach((term) => {
        decodeTerm(term);
        clause.fields.forEach((f) => { for (const r in index.invertedIndex[term][f]) excluded.add(r); });
      }));
      const out = [];
      for (let ref = 0; ref < c.n; ref++) {
        if (!excluded.has(String(ref))) out.push({ ref: String(ref), score: 0, matchData: new lunr.MatchData() });
      }
      return out;
    }

    // lunr answers a query of exclusions only with the documents that have a field vector: give
    // each document one (empty) so that "-kazakhstan" returns every other document.
    let complete = false;
    function everyDocument() {
      if (complete) return;
      complete = true;
      for (let ref = 0; ref < c.n; ref++) {
        const key = fields[0] + "/" + ref;
        if (!fieldVectors[key]) fieldVectors[key] = new lunr.Vector();
      }
    }

    // True when the words of `phrase` (query words) follow one another in `text` (or in one of the
    // texts of an array, such as [title, body]: a phrase never runs from one into the next). Words
    // are compared as written, case, apostrophes and punctuation at their edges aside: "limited
    // freedom" is not "limit freedom".
    const EDGES = /^[^0-9A-Za-z_\u00c0-\u024f\u0400-\u052f]+|[^0-9A-Za-z_\u00c0-\u024f\u0400-\u052f]+$/g;
    const words = (text) => String(text).toLowerCase().replace(/ё/g, "е").replace(APOSTROPHES, "")
      .split(/[\s\-]+/).map((w) => w.replace(EDGES, "")).filter(Boolean);
    index.containsPhrase = function (text, phrase) {
      if (Array.isArray(text)) return text.some((t) => index.containsPhrase(t, phrase));
      const want = words(phrase.join(" "));
      const got = words(text);
      for (let i = 0; i + want.length <= got.length; i++) {
        let j = 0;
        while (j < want.length && got[i + j] === want[j]) j++;
        if (j === want.length) return true;
      }
      return false;
    };
  }

  window.digestCompactIndex = digestCompactIndex;
})();
