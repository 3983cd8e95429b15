/* Turn the digest's search index, in chunks (digest/search/index.py and chunks.py), into a lunr.Index.
 *
 * The meta file (window.DIGEST_SEARCH_META) says where each term chunk starts; the chunks hold, per
 * term, the documents that contain it in each field with the term frequency and the field's length:
 * not lunr's BM25 scores, which are most of a serialised index and gzip poorly. This script recomputes
 * each score with lunr.Builder's own formula, lazily: a term's postings are decoded, into typed arrays
 * (refs, and the value lunr's field vector would hold), the first time a query expands to it. A term's
 * number (lunr's _index, the order scores are summed in) is its chunk's start plus its place in the
 * chunk, as in lunr.py's index.
 *
 * index.search evaluates its query itself (evaluate): lunr.Index.prototype.query's steps, in its order,
 * on the typed arrays, so that refs, order (ties included), scores and MatchData are those lunr gives,
 * and so those of lunr.Index.load on the full serialisation (lunr's similarity is the dot product of
 * the query vector with a field vector, which reads only the query's own terms). What it leaves out is
 * lunr's cost per matching document (postings as objects, a FieldRef, a MatchData and a lunr.Set per
 * field of every match, a lunr.Vector per field of every document), most of a query with thousands of
 * hits. lunr.Index.query itself still answers index.plainSearch (lunr's own search), the rare query
 * that lunr treats as negated (exclusions with * or ~ only, or nothing left once the pipeline has run),
 * and index.search(q, {lunr: true}), which the tests compare with; for it, the terms
 * decoded so far are put into lunr's invertedIndex and fieldVectors (materialize), and its token set
 * is wrapped so that tokenSet.intersect(...).toArray() decodes the terms it expands to.
 *
 * Chunks load on demand. index.searchAsync(q, options) runs the query; every look-up that needs a chunk
 * not loaded yet (a term, a fold key, the range of a prefix, the keys of a letter for typos) notes the
 * chunk and answers "nothing"; if any were noted, they are loaded with load(paths) and the query runs
 * again, until it needed nothing new. Each pass loads only what the one before found to be needed,
 * so the chunks loaded are the query's, whatever the archive's size. index.search(q) is the same
 * query, synchronous, on the chunks already loaded.
 *
 * lunr-languages (the Russian stemmer) is loaded only for a query with Cyrillic letters, or whose
 * matches include Cyrillic terms (for highlighting): until then a stand-in, registered under its name,
 * leaves words as they are, which is what the Russian stemmer does to a word without Cyrillic letters
 * (tested). The en + ru trimmer is registered here, from the meta's word characters.
 *
 * The returned index's search(query, {typos}) also finds names however they are written
 * (digest/search/fold.py): each plain query word reaches every term whose folding key is the
 * word's (Хакимова, Hakimova, Xakimova -> Khakimova), and, when that finds nothing or almost
 * nothing (1 in 2,000 documents), the terms of the nearest keys at edit distance 1 (2 from eight
 * letters), ranked below exact ones and reported in results.corrections; results.matchedTerms lists
 * the terms that matched any result (what the page highlights), and each result's matchData is made
 * only when it is read. Quoted words are required and listed in results.phrases
 * for the page to check against the text (containsPhrase); apostrophes are dropped as the index
 * does; a query of exclusions only returns every other document. plainSearch is lunr's own search.
 * index.document(ref) gives a document's facets (facets.js), and index.loadDocs(refs) the rows
 * and texts of documents (docs/<k>.js).
 *
 * A classic script (it must work from file://): defines window.digestCompactIndex(meta, load, facets).
 * Needs lunr.js; load(paths) loads scripts named relative to the search folder and returns a Promise.
 */
(function () {
  "use strict";

  const CYRILLIC = /[\u0400-\u0484\u0487-\u052f\u1d2b\u1d78\u2de0-\u2dff\ua640-\ua69f\ufe2e\ufe2f]/;
  const STEMMER_RU = "stemmer-ru";
  // The value of a base-36 digit (0-9, a-z) from its character code: postings and facet columns use them.
  const digit = (code) => (code <= 57 ? code - 48 : code - 87);

  // A result's MatchData, made when its metadata is first read: a large answer is mostly counted and
  // filtered, and only a page of it is shown. Until then it holds its ref and its query's metadataOf,
  // under symbols, so that its own keys are none, as a MatchData's are whose metadata is made. One
  // constructor for every index and query, made once lunr is there, so that the engine's optimised
  // code meets a single kind of object.
  const REF = Symbol("ref"), SOURCE = Symbol("source"), METADATA = Symbol("metadata");
  let LazyMatchData = null;
  function lazyMatchDataType() {
    if (LazyMatchData) return LazyMatchData;
    LazyMatchData = function (ref, source) {
      this[REF] = ref;
      this[SOURCE] = source;
      this[METADATA] = undefined;
    };
    LazyMatchData.prototype = Object.create(lunr.MatchData.prototype, {
      constructor: { value: lunr.MatchData, writable: true, configurable: true },
      metadata: {
        get() { return this[METADATA] || (this[METADATA] = this[SOURCE](this[REF])); },
        set(value) { this[METADATA] = value; },
      },
    });
    return LazyMatchData;
  }

  // The search pipeline's functions that lunr-languages would register, before it is loaded.
  function registerPipeline(meta) {
    const registered = lunr.Pipeline.registeredFunctions;
    const trimmer = "lunr-multi-trimmer-en-ru";
    if (!registered[trimmer]) {
      const start = new RegExp("^[^" + meta.wordCharacters + "]+"), end = new RegExp("[^" + meta.wordCharacters + "]+$");
      lunr.Pipeline.registerFunction((token) => token.update((s) => s.replace(start, "").replace(end, "")), trimmer);
    }
    if (!registered[STEMMER_RU]) {
      const standIn = (token, i, tokens) => (lunr.ru && lunr.ru.stemmer ? lunr.ru.stemmer(token, i, tokens) : token);
      standIn.standIn = true;
      lunr.Pipeline.registerFunction(standIn, STEMMER_RU);
    }
  }

  function digestCompactIndex(meta, load, facetColumns) {
    const c = meta;
    const fields = c.fields, boosts = c.boosts, n = c.n, k1 = c.k1, b = c.b, avg = c.avg;
    const chunkList = c.terms.chunks; // [first key, first term, first term's number]
    const termStore = window[c.terms.global] || (window[c.terms.global] = {});
    const chunks = []; // chunk number -> {terms, position, starts, packed, extra, keys}
    const missing = new Set(); // chunk numbers the current pass needed and did not have
    registerPipeline(c);
    const fold = makeFold(c.fold);
    const keyCache = new Map();
    const keyOf = (term) => {
      let key = keyCache.get(term);
      if (key === undefined) { key = fold.isOwnKey(term) ? term : fold(term); keyCache.set(term, key); }
      return key;
    };

    // The chunk that holds (key, term), or would: the last whose first entry is not after it.
    function chunkOf(key, term) {
      let lo = 0, hi = chunkList.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const first = chunkList[mid];
        if (first[0] < key || (first[0] === key && first[1] <= term)) lo = mid + 1; else hi = mid;
      }
      return Math.max(0, lo - 1);
    }
    // The chunks that can hold a term whose key starts with `prefix` ("" : all of them).
    function chunksOfKeys(prefix, exact) {
      if (!chunkList.length) return [];
      const out = [];
      for (let i = chunkOf(prefix, ""); i < chunkList.length; i++) {
        const key = chunkList[i][0];
        if (out.length && (exact ? key !== prefix : !key.startsWith(prefix))) break;
        out.push(i);
      }
      return out;
    }
    // A chunk's data, or null (noted as missing) when it is not loaded yet. Its packed postings get a space
    // at the end, as every other term's have after them, so that decodePostings never reads past the text.
    function chunk(i) {
      if (chunks[i]) return chunks[i];
      const data = termStore[i];
      if (!data) { missing.add(i); return null; }
      const position = new Map();
      const starts = new Int32Array(data.t.length + 1);
      for (let t = 0, at = 0; t <= data.t.length; t++) {
        if (t < data.t.length) position.set(data.t[t], t);
        starts[t] = at;
        const space = data.p.indexOf(" ", at);
        at = space < 0 ? data.p.length + 1 : space + 1;
      }
      chunks[i] = { terms: data.t, position: position, starts: starts, packed: data.p + " ", extra: data.x || {}, keys: null, start: chunkList[i][2] };
      return chunks[i];
    }
    const chunkOfTerm = (term) => (chunkList.length ? chunk(chunkOf(keyOf(term), term)) : null);
    const hasTerm = (term) => { const ch = chunkOfTerm(term); return !!ch && ch.position.has(term); };
    // Every chunk of these numbers, or null when one is missing (all of the missing ones are noted).
    function all(numbers) {
      const out = numbers.map(chunk);
      return out.every(Boolean) ? out : null;
    }

    const invertedIndex = Object.create(null);
    const fieldVectors = Object.create(null);
    let tokenSet = null;
    const plans = []; // expanded terms chosen by the name search for its clauses (see addNameSearch)
    // term -> {index, refs: [Int32Array per field], values: [Float64Array per field]}: a term's
    // documents in each field, ascending, and the value lunr's field vector holds for each.
    const decoded = new Map();
    const byIndex = new Map(); // a decoded term's number -> its entry in `decoded`
    const materialized = new Set(); // the decoded terms also in invertedIndex and fieldVectors
    const touched = new Set(); // the terms the current search expanded its clauses to

    // Decodes a term's postings; false when the term is not in the index or its chunk is not loaded yet.
    const scoring = { fields: fields.length, n: n, k1: k1, b: b, avg: avg, boosts: boosts };
    function decodeTerm(term) {
      if (decoded.has(term)) return true;
      const ch = chunkOfTerm(term);
      const local = ch ? ch.position.get(term) : undefined;
      if (local === undefined) return false;
      const entry = decodePostings(ch.packed, ch.starts[local], ch.starts[local + 1] - 1, scoring, ch.start + local);
      decoded.set(term, entry);
      byIndex.set(entry.index, entry);
      return true;
    }
    // A decoded term in lunr's own structures (invertedIndex, fieldVectors), for lunr.Index.query.
    function materialize(term) {
      if (materialized.has(term)) return true;
      const entry = decoded.get(term);
      const posting = { _index: entry.index };
      for (let f = 0; f < fields.length; f++) posting[fields[f]] = Object.create(null);
      for (let f = 0; f < fields.length; f++) {
        const refs = entry.refs[f], values = entry.values[f], field = fields[f];
        for (let j = 0; j < refs.length; j++) {
          posting[field][refs[j]] = {};
          const key = field + "/" + refs[j];
          (fieldVectors[key] || (fieldVectors[key] = new lunr.Vector())).insert(entry.index, values[j]);
        }
      }
      invertedIndex[term] = posting;
      materialized.add(term);
      return true;
    }
    // Every decoded term, in the order decoded: lunr's answer to a query of exclusions alone depends on
    // which field vectors exist, so lunr.Index.query sees all of them, as if each had been decoded there.
    function materializeAll() {
      decoded.forEach((_, term) => materialize(term));
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

    // The start of the key of every term that starts with `prefix`: the prefix's letters are folded as
    // far as no letter after them can change the result ("journ" -> "journ"; "y" alone could become
    // "e" or "i", so nothing). Then a doubled letter at its end can only merge with one more of it.
    const rulePattern = new RegExp(c.fold.pattern, "y");
    const spellings = Object.keys(c.fold.rules);
    function keyPrefix(prefix) {
      const a = fold.ascii(prefix);
      let out = "", i = 0;
      while (i < a.length) {
        const rest = a.slice(i);
        // A spelling that the letters after the prefix could still complete decides nothing yet.
        if (spellings.some((s) => s.length > rest.length && s.startsWith(rest))) break;
        rulePattern.lastIndex = i;
        const m = rulePattern.exec(a);
        if (m && m.index === i) { out += c.fold.rules[m[0]]; i += m[0].length; } else { out += a[i]; i += 1; }
      }
      return fold.collapse(out);
    }

    // Every term that starts with `prefix`, in code point order, from the chunks of its key range.
    function withPrefix(prefix) {
      const loaded = all(chunksOfKeys(keyPrefix(prefix), false));
      if (!loaded) return [];
      const out = [];
      loaded.forEach((ch) => ch.terms.forEach((term) => { if (term.startsWith(prefix)) out.push(term); }));
      return out.sort();
    }

    // The terms of the index that a clause's token set reaches, decoded. Plain words and prefixes are
    // answered from the chunks; the whole token set (a trie of every term, slow to build, and every
    // chunk) is made only for fuzzy and inner-wildcard queries.
    function expand(other) {
      const s = shape(other);
      let found;
      if (s && s.word !== undefined && s.word[0] === "\u0001") {
        found = plans[+s.word.slice(1)] || [];
      } else if (s && s.word !== undefined) {
        found = hasTerm(s.word) ? [s.word] : [];
      } else if (s) {
        // A token set of just these terms has the same shape under the prefix as the full one, so
        // lunr lists them in the same order: exact ties in score keep lunr.Index.load's order.
        const matching = withPrefix(s.prefix);
        found = matching.length ? lunr.TokenSet.fromArray(matching).intersect(other).toArray() : [];
      } else {
        const loaded = all(chunkList.map((_, i) => i));
        if (loaded && !tokenSet) {
          const every = [];
          loaded.forEach((ch) => every.push(...ch.terms));
          tokenSet = lunr.TokenSet.fromArray(every.sort());
        }
        found = tokenSet ? tokenSet.intersect(other).toArray() : [];
      }
      found = found.filter(decodeTerm);
      found.forEach((term) => touched.add(term));
      return found;
    }
    const lazyTokenSet = {
      intersect(other) {
        return { toArray() { return expand(other).filter(materialize); } };
      },
    };
    const index = new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lazyTokenSet,
      fields: fields.slice(),
      pipeline: lunr.Pipeline.load(c.pipeline),
    });

    // lunr.Index.prototype.query, step for step, on the decoded postings: the same clauses expanded to
    // the same terms, the same query vectors, the same documents in the same order, each field's score
    // summed in the order lunr's dot product sums it, the same MatchData, the same stable sort. What it
    // leaves out is lunr's per-document cost: postings as objects, a lunr.Set, FieldRef and MatchData
    // per field of every match, a field vector per document. A query of exclusions alone (lunr then
    // answers from every field vector there is) is handed to lunr.Index.query itself. evaluate expands
    // the clauses; rankMatches, with the engine's other hot loops below, scores and orders the documents.
    const PRESENCE = lunr.Query.presence;
    const fieldNumber = new Map(fields.map((field, f) => [field, f]));
    function lunrQuery(query) {
      materializeAll();
      return lunr.Index.prototype.query.call(index, (q) => { q.clauses = query.clauses; });
    }
    function evaluate(query) {
      if (query.isNegated()) return lunrQuery(query);
      const F = fields.length;
      const queryVectors = fields.map(() => new lunr.Vector());
      const groups = []; // [entry, field number, term]: each term and field whose matches lunr collects, in its order
      const collected = new Set();
      const required = new Array(F), prohibited = new Array(F);
      for (const clause of query.clauses) {
        const terms = clause.usePipeline ? index.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
        // lunr would call .intersect on undefined here (a required clause whose word the pipeline removes)
        if (!terms.length && clause.presence === PRESENCE.REQUIRED) return lunrQuery(query);
        let clauseMatches = null;
        for (const term of terms) {
          const expanded = expand(lunr.TokenSet.fromClause(Object.assign({}, clause, { term: term })));
          if (!expanded.length && clause.presence === PRESENCE.REQUIRED) {
            clause.fields.forEach((field) => { required[fieldNumber.get(field)] = new Uint8Array(n); });
            break;
          }
          for (const t of expanded) {
            const entry = decoded.get(t);
            for (const field of clause.fields) {
              const f = fieldNumber.get(field), refs = entry.refs[f];
              if (clause.presence === PRESENCE.REQUIRED) {
                mark(clauseMatches || (clauseMatches = new Uint8Array(n)), refs);
                if (required[f] === undefined) required[f] = COMPLETE;
              }
              if (clause.presence === PRESENCE.PROHIBITED) {
                mark(prohibited[f] || (prohibited[f] = new Uint8Array(n)), refs);
                continue;
              }
              queryVectors[f].upsert(entry.index, clause.boost, (a, b) => a + b);
              const key = t + "/" + field;
              if (collected.has(key)) continue;
              collected.add(key);
              groups.push([entry, f, t]);
            }
          }
        }
        if (clause.presence === PRESENCE.REQUIRED) {
          clause.fields.forEach((field) => {
            const f = fieldNumber.get(field);
            required[f] = intersect(required[f], clauseMatches || new Uint8Array(n));
          });
        }
      }
      return rankMatches(fields, n, queryVectors, groups, required, prohibited, byIndex);
    }

    const lookups = {
      hasTerm: hasTerm, decodeTerm: decodeTerm, fold: fold, keyOf: keyOf, chunk: chunk,
      chunksOfKeys: chunksOfKeys, all: all, incomplete: () => missing.size > 0,
      decoded: decoded, evaluate: evaluate, lunrQuery: lunrQuery, materializeAll: materializeAll,
    };
    addNameSearch(index, c, lookups, fieldVectors, plans);

    // ---- loading -------------------------------------------------------------------------------

    const folderOf = (spec, k) => spec.dir + "/" + k + ".js";
    let languages = null;
    index.cyrillicReady = () => !!(window.lunr.ru && window.lunr.ru.stemmer);
    function loadLanguages() {
      if (index.cyrillicReady()) return Promise.resolve();
      if (!languages) {
        // lunr.ru registers the real stemmer under the stand-in's name: make room for it (the
        // pipeline keeps the stand-in, which now hands every word to lunr.ru.stemmer).
        const registered = lunr.Pipeline.registeredFunctions;
        if (registered[STEMMER_RU] && registered[STEMMER_RU].standIn) delete registered[STEMMER_RU];
        languages = load(c.cyrillic || []);
      }
      return languages;
    }
    const loadingChunks = new Map(); // chunk number -> Promise
    function loadChunks(numbers) {
      return Promise.all(numbers.map((i) => {
        if (!loadingChunks.has(i)) {
          loadingChunks.set(i, load([folderOf(c.terms, i)]).then(() => {
            if (!termStore[i] && !chunks[i]) throw new Error("the search index chunk " + i + " is missing");
          }, (err) => { loadingChunks.delete(i); throw err; }));
        }
        return loadingChunks.get(i);
      }));
    }
    // Runs `run` (a search on the chunks loaded), loading what it found missing, until nothing is.
    function complete(run) {
      missing.clear();
      touched.clear();
      const results = run();
      if (!missing.size) return Promise.resolve(results);
      return loadChunks(Array.from(missing)).then(() => complete(run));
    }
    // The query's results, once every chunk it needs is loaded (and lunr-languages, for Cyrillic).
    index.searchAsync = function (q, options) {
      const run = options && options.plain ? () => index.plainSearch(q) : () => index.search(q, options);
      const ready = CYRILLIC.test(q) ? loadLanguages() : Promise.resolve();
      return ready.then(() => complete(run)).then((results) => {
        // A result's matched terms are among the terms its query expanded to: most queries have none in Cyrillic.
        const cyrillicMatch = Array.from(touched).some((t) => CYRILLIC.test(t)) && matchedTerms(results).some((t) => CYRILLIC.test(t));
        return cyrillicMatch && !index.cyrillicReady() ? loadLanguages().then(() => results) : results;
      });
    };

    // A document by ref, with its facets ({ref, countries, topic, year}) and the fields of its row,
    // empty (loaded: false) until index.loadDocs gives them: a page fills them in place, and every
    // document keeps one shape. Read straight from the facet columns' characters (no slices), one
    // document at a time: a query's first page needs a handful, and its filter counts are made after
    // its results are drawn, so no page waits for the whole archive's documents.
    let countryGroups = null; // the country column, split once by ref
    const number = (s, at, width) => {
      let value = 0;
      for (let i = at; i < at + width; i++) value = value * 36 + digit(s.charCodeAt(i));
      return value;
    };
    index.document = function (ref) {
      const f = facetColumns, w = f.width;
      if (!countryGroups) countryGroups = f.country ? f.country.split(",") : [];
      const group = countryGroups[ref] || "", countries = [];
      for (let at = 0; at < group.length; at += w[0]) countries.push(f.countries[number(group, at, w[0])]);
      return { ref: ref, countries: countries, topic: f.topics[number(f.topic, ref * w[1], w[1])],
        year: f.years[number(f.year, ref * w[2], w[2])],
        title: "", url: "", date: "", approximate: false, lang: "", text: "", loaded: false };
    };

    // ref -> {title, url, date, approximate, countries, topic, lang, text} for these refs, loading
    // their chunks of docs. Never rejects: the refs of a chunk that cannot be loaded are left out.
    const docStore = () => window[c.docs.global] || (window[c.docs.global] = {});
    const loadingDocs = new Map();
    index.loadDocs = function (refs) {
      const size = c.docs.chunk, at = (name) => c.docs.fields.indexOf(name);
      const wanted = Array.from(new Set(refs.map((ref) => Math.floor(ref / size))));
      return Promise.all(wanted.map((k) => {
        if (!loadingDocs.has(k)) {
          loadingDocs.set(k, (docStore()[k] ? Promise.resolve() : load([folderOf(c.docs, k)])).then(() => docStore()[k] || null, () => null));
        }
        return loadingDocs.get(k);
      })).then((loaded) => {
        const out = new Map();
        loaded.forEach((data, w) => {
          if (!data) return;
          data.docs.forEach((row, i) => {
            out.set(wanted[w] * size + i, {
              title: row[at("title")], url: row[at("url")], date: row[at("date")],
              approximate: !!row[at("approximate")], countries: row[at("countries")] || [],
              topic: row[at("topic")], lang: row[at("lang")] || "", text: data.text[i] || "",
            });
          });
        });
        return out;
      });
    };
    return index;
  }

  // Best score first, ties in their order: what lunr's results.sort((a, b) => b.score - a.score) gives
  // (a stable sort), without a comparison call per pair, which a large answer's sort spends most of its
  // time in. The scores (scores[i] is results[i].score) are sorted natively and made distinct, then
  // each result is placed by its score's rank, found by binary search.
  function sortByScore(results, scores) {
    const n = results.length;
    const distinct = scores.slice().sort(); // ascending
    let d = 0;
    for (let i = 0; i < n; i++) if (d === 0 || distinct[i] !== distinct[d - 1]) distinct[d++] = distinct[i]; // +0 and -0 are one
    const ranks = new Int32Array(n), next = new Int32Array(d + 1);
    for (let i = 0; i < n; i++) {
      const score = scores[i];
      let lo = 0, hi = d - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (distinct[mid] < score) lo = mid + 1; else hi = mid;
      }
      next[(ranks[i] = d - 1 - lo) + 1]++; // the best score has rank 0
    }
    for (let k = 1; k <= d; k++) next[k] += next[k - 1];
    const placed = results.slice();
    for (let i = 0; i < n; i++) results[next[ranks[i]]++] = placed[i];
    return results;
  }

  // ---- the engine's hot loops ------------------------------------------------------------------
  // Module-level functions that call no function of one index: V8 keeps their optimised code for every
  // index a page makes, where code that calls an index's own closures is thrown away when the next
  // index's closures reach it ("wrong call target"), and runs slow until it is optimised again.

  // A term's postings, from its packed text s[from, end) (end is the space after it: the chunk's text
  // ends with one): <field>:<ref delta>.<length>[*<tf>],...;<field>:... in base 36 (chunks.posting),
  // read in place in one pass into scratch arrays with room enough (a posting takes at least four
  // characters, "0.1,"), where each field's documents are a contiguous run. The values need the idf, so
  // the number of documents, and are worked out after the pass. Returns {index, refs, values}: per
  // field, its documents ascending and the value lunr's field vector holds for each, in arrays of the
  // exact size (a page keeps every term it has decoded).
  let scratchRefs = new Int32Array(1024), lengths = new Int32Array(1024), frequencies = new Int32Array(1024); // grown as needed
  function decodePostings(s, from, end, scoring, index) {
    const room = ((end - from + 1) >> 2) + 1;
    if (lengths.length < room) {
      scratchRefs = new Int32Array(room); lengths = new Int32Array(room); frequencies = new Int32Array(room);
    }
    const bounds = new Int32Array(scoring.fields * 2); // field -> [first, end) in the arrays
    let count = 0, i = from;
    while (i < end) {
      let f = 0;
      for (let code = s.charCodeAt(i); code !== 58; code = s.charCodeAt(++i)) f = f * 10 + code - 48;
      i++;
      bounds[2 * f] = count;
      let ref = 0;
      for (;;) {
        let delta = 0, length = 0, tf = 1, code;
        for (code = s.charCodeAt(i); code !== 46; code = s.charCodeAt(++i)) delta = delta * 36 + digit(code);
        for (code = s.charCodeAt(++i); i < end && code !== 44 && code !== 42 && code !== 59; code = s.charCodeAt(++i)) length = length * 36 + digit(code);
        if (i < end && code === 42) {
          tf = 0;
          for (code = s.charCodeAt(++i); i < end && code !== 44 && code !== 59; code = s.charCodeAt(++i)) tf = tf * 36 + digit(code);
        }
        ref += delta;
        scratchRefs[count] = ref;
        lengths[count] = length;
        frequencies[count++] = tf;
        i++;
        if (i > end || code === 59) break;
      }
      bounds[2 * f + 1] = count;
    }
    // lunr.idf counts a document once per field that holds the term.
    const n = scoring.n, k1 = scoring.k1, b = scoring.b;
    const idf = Math.log(1 + Math.abs((n - count + 0.5) / (count + 0.5)));
    const entry = { index: index, refs: [], values: [] };
    const refs = scratchRefs.slice(0, count), values = new Float64Array(count);
    for (let f = 0; f < scoring.fields; f++) {
      const first = bounds[2 * f], last = bounds[2 * f + 1], norm = scoring.avg[f], boost = scoring.boosts[f];
      for (let j = first; j < last; j++) {
        const tf = frequencies[j];
        // lunr.Builder's BM25, then the field's boost, rounded as lunr rounds a field vector's values.
        const score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[j] / norm)) + tf);
        values[j] = Math.round(score * boost * 1000) / 1000;
      }
      entry.refs.push(refs.subarray(first, last));
      entry.values.push(values.subarray(first, last));
    }
    return entry;
  }

  const COMPLETE = "complete"; // lunr.Set.complete; a set of refs is a Uint8Array by ref
  function intersect(a, b) {
    if (a === COMPLETE) return b;
    if (b === COMPLETE) return a;
    const out = new Uint8Array(a.length);
    for (let r = 0; r < a.length; r++) out[r] = a[r] & b[r];
    return out;
  }
  function mark(set, refs) {
    for (let j = 0; j < refs.length; j++) set[refs[j]] = 1;
  }

  // A field's dot products, zeroed, in an array kept from one query to the next: a large answer's
  // arrays of n numbers per field are most of the memory a query allocates and the collector reclaims.
  // (Nothing made for a query's results, such as their MatchData, reads them afterwards.)
  const dotBuffers = [];
  function dotBuffer(f, n) {
    if (!dotBuffers[f] || dotBuffers[f].length < n) dotBuffers[f] = new Float64Array(n);
    return dotBuffers[f].fill(0, 0, n);
  }

  // The second half of lunr.Index.prototype.query, on what evaluate collected: the documents that pass
  // the required and prohibited sets, scored (each field's dot product with its query vector, summed
  // term by term in the vector's order), with their MatchData (on demand), best first.
  // groups: [entry, field number, term] for each term and field whose matches lunr collects, in its order.
  function rankMatches(fields, n, queryVectors, groups, required, prohibited, byIndex) {
    const F = fields.length, MatchDataOnDemand = lazyMatchDataType();
    let allRequired = COMPLETE, allProhibited = null;
    for (let f = 0; f < F; f++) {
      if (required[f] !== undefined) allRequired = intersect(allRequired, required[f]);
      if (prohibited[f]) {
        if (!allProhibited) allProhibited = new Uint8Array(n);
        for (let r = 0; r < n; r++) allProhibited[r] |= prohibited[f][r];
      }
    }
    // Each field's dot product with the query vector, summed term by term in the vector's order.
    const dots = [], magnitudes = [];
    for (let f = 0; f < F; f++) {
      const elements = queryVectors[f].elements;
      if (!elements.length) { dots.push(null); magnitudes.push(0); continue; }
      const dot = dotBuffer(f, n);
      for (let e = 0; e < elements.length; e += 2) {
        const entry = byIndex.get(elements[e]), weight = elements[e + 1];
        const refs = entry.refs[f], values = entry.values[f];
        for (let j = 0; j < refs.length; j++) dot[refs[j]] += weight * values[j];
      }
      dots.push(dot);
      magnitudes.push(queryVectors[f].magnitude());
    }
    // Documents in the order of their first matching field, each one's fields in order, and the
    // groups that hold it (a bit per group, `words` 32-bit words per document).
    const order = new Int32Array(n), seenFields = new Uint8Array(n), fieldCount = new Uint8Array(n), fieldOrder = new Uint8Array(n * F);
    const words = (groups.length + 31) >> 5, inGroups = new Int32Array(n * words);
    const groupsOf = fields.map(() => []); // per field, its groups' numbers in order
    let found = 0; // documents in order
    groups.forEach(([entry, f], g) => {
      groupsOf[f].push(g);
      const refs = entry.refs[f], bit = 1 << f, word = g >> 5, groupBit = 1 << (g & 31);
      for (let j = 0; j < refs.length; j++) {
        const r = refs[j];
        inGroups[r * words + word] |= groupBit;
        if (seenFields[r] & bit) continue;
        seenFields[r] |= bit;
        if (fieldCount[r] === 0 && (allRequired === COMPLETE || allRequired[r]) && !(allProhibited && allProhibited[r])) order[found++] = r;
        fieldOrder[r * F + fieldCount[r]++] = f;
      }
    });
    // A result's MatchData as lunr builds it: which terms matched it, in which fields.
    function metadataOf(r) {
      const metadata = Object.create(null);
      for (let k = 0; k < fieldCount[r]; k++) {
        const f = fieldOrder[r * F + k], field = fields[f], ofField = groupsOf[f];
        let first = true;
        for (let m = 0; m < ofField.length; m++) {
          const g = ofField[m];
          if (!(inGroups[r * words + (g >> 5)] & (1 << (g & 31)))) continue;
          const t = groups[g][2];
          // As lunr leaves them: MatchData's constructor and combine make null-prototype objects, add keeps the posting's {}.
          const own = metadata[t] || (metadata[t] = Object.create(null));
          own[field] = k > 0 || first ? Object.create(null) : {};
          first = false;
        }
      }
      return metadata;
    }
    const results = new Array(found), scores = new Float64Array(found);
    const matched = new Int32Array(words); // the groups that hold at least one result
    for (let i = 0; i < found; i++) {
      const r = order[i];
      let score = 0;
      for (let k = 0; k < fieldCount[r]; k++) {
        const f = fieldOrder[r * F + k];
        const fieldScore = dots[f][r] / magnitudes[f] || 0;
        score = k === 0 ? fieldScore : score + fieldScore;
      }
      for (let w = 0; w < words; w++) matched[w] |= inGroups[r * words + w];
      scores[i] = score;
      results[i] = { ref: String(r), score: score, matchData: new MatchDataOnDemand(r, metadataOf) };
    }
    sortByScore(results, scores);
    const terms = new Set();
    groups.forEach((group, g) => { if (matched[g >> 5] & (1 << (g & 31))) terms.add(group[2]); });
    results.matchedTerms = Array.from(terms);
    return results;
  }

  // Every term that matched at least one of the results: evaluate lists them without making each
  // result's MatchData; lunr's own answers are read result by result.
  function matchedTerms(results) {
    if (results.matchedTerms) return results.matchedTerms;
    const terms = new Set();
    results.forEach((r) => Object.keys(r.matchData.metadata).forEach((t) => terms.add(t)));
    return Array.from(terms);
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
    function ascii(word) {
      if (LOWER_ASCII.test(word)) return word;
      let key = "";
      for (const ch of word) { // by code point, as Python iterates a str
        if ((ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9")) key += ch;
        else if (ch >= "A" && ch <= "Z") key += ch.toLowerCase();
        else if (Object.prototype.hasOwnProperty.call(table, ch)) key += table[ch];
      }
      return key;
    }
    const collapse = (key) => key.replace(doubled, (m) => m[0]);
    function fold(word) {
      return collapse(ascii(word).replace(pattern, (m) => rules[m]));
    }
    fold.isOwnKey = (term) => !changes.test(term);
    fold.ascii = ascii;
    fold.collapse = collapse;
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

  function addNameSearch(index, c, lookups, fieldVectors, plans) {
    const fold = lookups.fold, decodeTerm = lookups.decodeTerm, hasTerm = lookups.hasTerm;
    // The terms of each key, one chunk at a time: the chunks are in key order, so the terms of a
    // key, and the keys of a first letter (typo candidates share it), are in a few chunks.
    function keysOf(ch) {
      if (ch.keys) return ch.keys;
      const keys = new Map();
      const add = (key, term) => {
        const list = keys.get(key);
        if (!list) keys.set(key, [term]); else if (list.indexOf(term) < 0) list.push(term);
      };
      ch.terms.forEach((term) => add(lookups.keyOf(term), term));
      Object.keys(ch.extra).forEach((key) => ch.extra[key].forEach((term) => add(key, term)));
      ch.keys = keys;
      return keys;
    }
    // The terms of a chunk whose key is `key`, as keysOf(ch).get(key) lists them: a chunk's terms are in
    // key order, so only the keys of a binary search and of the run of terms with that key are worked out.
    function termsWithKey(ch, key) {
      if (ch.keys) return ch.keys.get(key) || [];
      const terms = ch.terms;
      let lo = 0, hi = terms.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (lookups.keyOf(terms[mid]) < key) lo = mid + 1; else hi = mid;
      }
      const out = [];
      for (let i = lo; i < terms.length && lookups.keyOf(terms[i]) === key; i++) if (out.indexOf(terms[i]) < 0) out.push(terms[i]);
      if (Object.prototype.hasOwnProperty.call(ch.extra, key)) ch.extra[key].forEach((term) => { if (out.indexOf(term) < 0) out.push(term); });
      return out;
    }
    // Every term whose key is `key` (from the chunks loaded; the missing ones are noted).
    function reached(key) {
      if (!key) return [];
      const loaded = lookups.all(lookups.chunksOfKeys(key, true));
      const out = [];
      (loaded || []).forEach((ch) => termsWithKey(ch, key).forEach((t) => { if (out.indexOf(t) < 0) out.push(t); }));
      return out;
    }
    // key -> terms for every key that starts with `letter`.
    function keysFrom(letter) {
      const found = new Map();
      const loaded = lookups.all(lookups.chunksOfKeys(letter, false));
      (loaded || []).forEach((ch) => keysOf(ch).forEach((terms, key) => {
        if (key[0] !== letter) return;
        const list = found.get(key) || [];
        terms.forEach((t) => { if (list.indexOf(t) < 0) list.push(t); });
        found.set(key, list);
      }));
      return found;
    }
    // True when the terms of `list` together are in at most `limit` documents (counting stops past it).
    function inAtMost(list, limit) {
      const refs = new Set();
      for (const term of list) {
        if (!decodeTerm(term)) continue;
        for (const inField of lookups.decoded.get(term).refs) {
          if (inField.length > limit) return false;
          for (const r of inField) {
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
        keysFrom(key[0]).forEach((terms, other) => {
          const d = other === key ? 0 : distance(key, other, max);
          if (d === 0 || d > max || d > bestDistance) return;
          const found = terms.filter((t) => known.indexOf(t) < 0);
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
          return " " + words.filter((w) => hasTerm(index.pipeline.runString(w.toLowerCase())[0]))
            .map((w) => "+" + w).join(" ") + " ";
        });
      }
      return { text: text.replace(/"/g, " ").trim(), phrases: phrases };
    }

    const lunrSearch = index.search;
    // lunr's own search, on lunr's own structures.
    const plainSearch = function (q) {
      lookups.materializeAll();
      return lunrSearch.call(index, q);
    };
    // options.typos === false: the words as typed, without typo candidates ("Search instead for").
    // options.lunr: the same query answered by lunr.Index.query itself (slower; what the tests compare with).
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
          const exact = hasTerm(stem) ? [stem] : [];
          const known = exact.slice();
          const wanted = [fold(word), fold(stem)];
          wanted.forEach((key) => reached(key).forEach((t) => { if (known.indexOf(t) < 0) known.push(t); }));
          let typo = [];
          // Until this pass has every chunk it asked for, "matches almost nothing" cannot be told.
          if (allowTypos && !lookups.incomplete() && clause.presence !== lunr.Query.presence.PROHIBITED && inAtMost(known, Math.floor(c.n * TYPO_SHARE))) {
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
      const query = new lunr.Query(index.fields);
      plain(query);
      let results;
      if (negated) results = allBut(negated);
      else results = options && options.lunr ? lookups.lunrQuery(query) : lookups.evaluate(query);
      // Exclusions alone score every document 0: newest first (refs are in date order), as without a query.
      if (results.length && results.every((r) => r.score === 0)) results.sort((a, b) => a.ref - b.ref);
      results.phrases = prepared.phrases;
      results.corrections = corrections;
      results.matchedTerms = matchedTerms(results);
      return results;
    };
    index.plainSearch = plainSearch;
    index.fold = fold;

    // A query of exclusions only, answered directly: every document that none of the clauses'
    // terms is in (in the clauses' fields), with lunr's score for it, 0.
    function allBut(clauses) {
      const excluded = new Set();
      clauses.forEach((clause) => plans[+clause.term.slice(1)].forEach((term) => {
        if (!decodeTerm(term)) return;
        clause.fields.forEach((f) => lookups.decoded.get(term).refs[fields.indexOf(f)].forEach((r) => excluded.add(r)));
      }));
      const out = [];
      for (let ref = 0; ref < c.n; ref++) {
        if (!excluded.has(ref)) out.push({ ref: String(ref), score: 0, matchData: new lunr.MatchData() });
      }
      return out;
    }

    // lunr answers a query of exclusions only with the documents that have a field vector: give
    // each document one (empty) so that "-kazakhstan" returns every other document.
    let complete = false;
    function everyDocument() {
      if (complete) return;
      complete = true;
      lookups.materializeAll(); // the field vectors lunr would have had, in the order it would have had them
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
