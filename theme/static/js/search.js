/* Digest search page.
 *
 * Loads lunr.js, compact-index.js and the index's meta and facets (search/meta.js and facets.js,
 * classic scripts that set window.DIGEST_SEARCH_META and DIGEST_SEARCH_FACETS; the last of
 * data-scripts) only when the reader starts to search, so it works over http and from file://. The
 * index loads the chunks of terms a query needs (and lunr-languages for Cyrillic) by itself; the rows
 * and texts of results come in chunks (search/docs/<k>.js, also classic scripts) loaded for the
 * results about to be shown. Titles,
 * tags and snippets come from contributors: everything is built with DOM APIs (textContent, <mark>
 * elements), never innerHTML. State lives in the URL: ?q=&country=&topic=&year=; the history entry
 * also keeps how many results were shown and the scroll position, for Back. What the interface
 * needs to know about the query's words comes from search-query-words.js, loaded before this.
 */
(function () {
  "use strict";

  const app = document.getElementById("search-app");
  if (!app) return;

  const PAGE_SIZE = 20;
  // A page's first results, drawn as soon as their rows are in, before the rest: more than a screen
  // holds (the box and the filters take the top of it), so the reader sees no gap while the rest load.
  const FIRST_SCREEN = 5;
  const FACETS = ["country", "topic", "year"];
  // lunr.js splits words here; lunr.multiLanguage('en', 'ru') trims everything else at word edges.
  const SEPARATOR = /([\s\-]+)/;
  const EDGE = /^([^\w\u0400-\u0484\u0487-\u052F\u1D2B\u1D78\u2DE0-\u2DFF\uA640-\uA69F\uFE2E\uFE2F]*)(.*?)([^\w\u0400-\u0484\u0487-\u052F\u1D2B\u1D78\u2DE0-\u2DFF\uA640-\uA69F\uFE2E\uFE2F]*)$/;

  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const notice = document.getElementById("search-notice");
  const list = document.getElementById("search-results");
  const moreWrap = document.getElementById("search-more-wrap");
  const moreButton = document.getElementById("search-more");
  const selects = {};
  FACETS.forEach((f) => {
    selects[f] = form.querySelector("select[data-facet='" + f + "']"); // each option has its data-label
  });

  // Country and topic names in the page's language, as its filter menus write them (the index is
  // shared between languages and has the English names, kept for any a menu lacks).
  function pageNames(facet, names) {
    const labels = {};
    Array.from(selects[facet].options).forEach((o) => { if (o.value) labels[o.value] = o.dataset.label; });
    return Object.assign({}, names, labels);
  }

  let engine = null; // {index, n (documents), docs (by ref, made as they are needed), countries, topics, stems}
  let loading = null;
  let generation = 0; // increases with every render: snippets that arrive for an older one are dropped
  let completed = 0; // the generation whose first page is complete
  let drawnKey = null; // the query string of the state on screen
  let waiting = []; // [doc, snippet element] of the page being appended, whose text is not loaded yet
  let current = { q: "", country: "", topic: "", year: "" };
  let shown = [];
  let shownCount = 0;
  let terms = new Set();
  let initials = new Set(); // the first letters of terms
  let typing = false;
  let rendered = false;
  let timer = 0;

  // ---- loading ---------------------------------------------------------------------------

  // inOrder: run after every script asked for in order before it (async=false), where one needs
  // another (lunr before its plugins); else as soon as it is in (a chunk, which sets its own key).
  function loadScript(src, inOrder) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.async = !inOrder;
      s.fetchPriority = "high"; // what the reader waits for: a browser defers async scripts' requests otherwise
      s.onload = () => resolve();
      s.onerror = () => reject(new Error("could not load " + src));
      document.head.appendChild(s);
    });
  }

  function ensureLoaded() {
    if (loading) return loading;
    const root = app.dataset.root || "";
    const scripts = (app.dataset.scripts || "").split(/\s+/).filter(Boolean);
    setStatus(say("loading"));
    app.dataset.status = "loading";
    // All at once with async=false: downloaded in parallel, run in order (lunr before its plugins).
    const indexScript = scripts[scripts.length - 1] || "";
    const folder = root + "/" + indexScript.slice(0, indexScript.lastIndexOf("/") + 1);
    const load = (paths) => Promise.all(paths.map((path) => loadScript(folder + path, paths.length > 1)));
    loading = Promise.all(scripts.map((src) => loadScript(root + "/" + src, true)))
      .then(() => {
        const meta = window.DIGEST_SEARCH_META;
        const index = window.digestCompactIndex(meta, load, window[meta.facets.global]);
        engine = { index: index, n: meta.n, docs: [], stems: new Map(),
          countries: pageNames("country", meta.countries), topics: pageNames("topic", meta.topics) };
        return engine;
      });
    // While the scripts download: the results will need them, and a reader who typed at once has
    // given the page no idle time to make them in.
    window.setTimeout(prepareFormatters, 0);
    loading.catch(() => {
      app.dataset.status = "failed";
      setStatus(say("load-failed"));
    });
    return loading;
  }

  // A document by ref, with its facets; its row (title, url, date, text...) is filled in as its
  // chunk loads (loadTexts). Made the first time it is needed: the first page of a query needs a
  // handful, and only the filters' counts, made after the results are drawn, need every result's.
  function docAt(ref) {
    return engine.docs[ref] || (engine.docs[ref] = engine.index.document(ref));
  }

  // A result: its ref, its score and (h.doc) its document.
  function Hit(ref, score) {
    this.ref = ref;
    this.score = score;
  }
  Object.defineProperty(Hit.prototype, "doc", { get() { return docAt(this.ref); } });

  // Every document as a result, newest first (refs are in date order).
  function everyDoc() {
    const hits = new Array(engine.n);
    for (let ref = 0; ref < hits.length; ref++) hits[ref] = new Hit(ref, 0);
    return hits;
  }

  // The Intl formatters that drawing results uses, made once the page is idle after loading (or, at
  // the latest, while the index's scripts download): the first one made in a page loads the browser's
  // locale data, which takes longer than the query and would otherwise hold it up. The filters' list
  // format is needed only once a filter is chosen: it is made when the page is idle.
  let formatters = false;
  function prepareFormatters() {
    if (formatters) return;
    formatters = true;
    pageText.number(0);
    pageText.intl("PluralRules");
    formatDate({ date: "2000-01-01" });
  }
  const LIST = { type: "unit", style: "short" };

  // Fills in the rows and texts of these hits, loading the chunks they are in. Never rejects: the
  // hits of a chunk that cannot be loaded stay unloaded (and are not shown).
  function loadTexts(hits) {
    const refs = hits.filter((h) => !h.doc.loaded).map((h) => h.ref);
    if (!refs.length) return Promise.resolve();
    return engine.index.loadDocs(refs).then((rows) => {
      rows.forEach((row, ref) => {
        const doc = docAt(ref);
        if (!doc.loaded) Object.assign(doc, row, { loaded: true });
      });
    });
  }

  // ---- state and URL ---------------------------------------------------------------------

  function stateFromUrl() {
    const params = new URLSearchParams(window.location.search);
    const state = { q: params.get("q") || "", exact: params.get("exact") ? "1" : "" };
    FACETS.forEach((f) => { state[f] = params.get(f) || ""; });
    return state;
  }

  function stateFromForm() {
    const state = { q: input.value };
    FACETS.forEach((f) => { state[f] = selects[f].value; });
    return state;
  }

  function showState(state) {
    input.value = state.q;
    FACETS.forEach((f) => {
      const sel = selects[f];
      if (state[f] && !Array.from(sel.options).some((o) => o.value === state[f])) {
        const o = document.createElement("option"); // a value from a shared link we do not know
        o.value = state[f]; o.dataset.label = state[f]; o.textContent = state[f];
        sel.appendChild(o);
      }
      sel.value = state[f];
    });
  }

  function queryString(state) {
    const params = new URLSearchParams();
    ["q"].concat(FACETS, ["exact"]).forEach((k) => { if (state[k]) params.set(k, state[k]); });
    const qs = params.toString();
    return qs ? "?" + qs : "";
  }

  function saveState(state, push) {
    followLanguageSwitch(state);
    const url = window.location.pathname + queryString(state) + window.location.hash;
    if (url === window.location.pathname + window.location.search + window.location.hash) return;
    try {
      window.history[push ? "pushState" : "replaceState"]({ digestSearch: state }, "", url);
    } catch (e) {
      /* some browsers refuse history changes on file:// pages: the search still works */
    }
  }

  // The header's language switch (a[data-lang-switch], where the site has one) opens the same search in
  // the other language: it carries the state's ?q=&country=&topic=&year= and the address's #.
  function followLanguageSwitch(state) {
    document.querySelectorAll("a[data-lang-switch]").forEach((a) => {
      a.search = queryString(state);
      a.hash = window.location.hash;
    });
  }

  function isEmpty(state) {
    return !state.q.trim() && FACETS.every((f) => !state[f]);
  }

  // ---- querying ----------------------------------------------------------------------------

  function prepareQuery(q) {
    let text = q.replace(/ё/g, "е").replace(/Ё/g, "Е");
    let warning = "";
    const quotes = (text.match(/"/g) || []).length;
    if (quotes % 2 === 1) {
      warning = say("unmatched-quote");
    }
    if (quotes % 2 === 1) text = text.replace(/"/g, " "); // a pair of quotes is a phrase (compact-index.js)
    text = text.replace(/(^|\s)([+-]?)([A-Za-z]+):/g, (m, space, sign, field) => space + sign + field.toLowerCase() + ":");
    return { text: text.trim(), warning: warning };
  }

  function explainError(err, text) {
    const message = String((err && err.message) || "");
    if (/expecting term/.test(message) && /:\s*$/.test(text)) {
      return say("field-needs-word");
    }
    const field = message.match(/unrecognised field '([^']*)'/);
    if (field) {
      return say("unknown-field", { field: field[1] });
    }
    return say("unreadable", { message: message });
  }

  function stemKey(word) {
    return word.toLowerCase().replace(/ё/g, "е").replace(/['`\u2018\u2019\u02bb\u02bc]/g, "");
  }

  function stem(word) {
    const key = stemKey(word);
    if (!engine.stems.has(key)) {
      const out = engine.index.pipeline.runString(key);
      // Until lunr-languages is loaded, a Cyrillic word is not stemmed: not worth remembering.
      if (!engine.index.cyrillicReady() && /[\u0400-\u052f]/.test(key)) return out.length ? out[0] : "";
      engine.stems.set(key, out.length ? out[0] : "");
    }
    return engine.stems.get(key);
  }

  // The matched term (of `terms`) that a word of a result stems to, or "". A stem starts with its
  // word's first letter (the stemmers change endings only, which every word of the corpus bears
  // out), so a word that starts with no term's first letter is not stemmed: most of a snippet's words.
  function matchedTerm(core) {
    if (!core || !initials.has(stemKey(core.charAt(0)).charAt(0))) return "";
    const t = stem(core);
    return terms.has(t) ? t : "";
  }

  function setTerms(matched) {
    terms = matched;
    initials = new Set(Array.from(matched, (t) => t.charAt(0)));
  }

  // A promise of {hits: [{doc, score}], terms: Set, error, warning, phrases: [[word, ...]], corrections: [{word, terms}]}:
  // the index loads the chunks the query needs.
  function runQuery(state) {
    const prepared = prepareQuery(state.q);
    const result = { hits: [], terms: new Set(), error: "", warning: prepared.warning, phrases: [], corrections: [] };
    if (!prepared.text) {
      result.hits = everyDoc();
      return Promise.resolve(result);
    }
    const attempt = (text, first) => engine.index.searchAsync(text, { typos: !state.exact }).then((found) => {
      found.forEach((r) => result.hits.push(new Hit(Number(r.ref), r.score)));
      found.matchedTerms.forEach((t) => result.terms.add(t));
      result.phrases = found.phrases || [];
      result.corrections = found.corrections || [];
      result.error = "";
      return result;
    }, (err) => {
      result.error = explainError(err, text);
      if (!first || !/unrecognised field/.test(String(err && err.message))) return result;
      // "http://kloop.kg" or "Note:": search the words rather than refuse.
      result.warning = say("words-instead", { message: result.error });
      return attempt(text.replace(/:/g, " "), false);
    });
    return attempt(prepared.text, true);
  }

  // The first `limit` hits that pass the state's filters (all of them, and no document made, with none).
  function filtered(hits, state, limit) {
    if (FACETS.every((f) => !state[f])) return hits.length > limit ? hits.slice(0, limit) : hits;
    const out = [];
    for (let i = 0; i < hits.length && out.length < limit; i++) {
      if (FACETS.every((f) => matches(hits[i].doc, f, state[f]))) out.push(hits[i]);
    }
    return out;
  }

  function matches(doc, facet, value) {
    if (!value) return true;
    if (facet === "country") return doc.countries.indexOf(value) !== -1;
    if (facet === "topic") return doc.topic === value;
    return doc.year === value;
  }

  function updateFacets(hits, state) {
    FACETS.forEach((facet) => {
      const counts = new Map();
      let total = 0;
      hits.forEach((h) => {
        if (!FACETS.every((other) => other === facet || matches(h.doc, other, state[other]))) return;
        total += 1;
        const values = facet === "country" ? h.doc.countries : [facet === "topic" ? h.doc.topic : h.doc.year];
        values.forEach((v) => counts.set(v, (counts.get(v) || 0) + 1));
      });
      Array.from(selects[facet].options).forEach((o) => {
        const n = o.value ? counts.get(o.value) || 0 : total;
        o.textContent = say("option", { label: o.dataset.label, count: pageText.number(n) });
        o.disabled = n === 0 && o.value !== "" && o.value !== state[facet];
      });
    });
  }

  // ---- the reader's words (js/search-query-words.js) ---------------------------------------

  const queryWords = window.digestQueryWords;

  // country:KZ searches the country's name, which is what the index holds.
  function withCountryNames(state) {
    return Object.assign({}, state, { q: queryWords.countryCodes(state.q, engine.countries) });
  }

  // The words left out of the index (stop words such as "the" or "и"), as the reader typed them:
  // those the stop word filters registered for the index's pipeline drop.
  function commonWords(q) {
    const registered = window.lunr.Pipeline.registeredFunctions;
    const filters = Object.keys(registered).filter((name) => /^stopWordFilter/.test(name)).map((name) => registered[name]);
    return queryWords.readerWords(q)
      .filter((w) => !w.prefix && filters.some((drop) => !drop(new window.lunr.Token(w.word.toLowerCase(), {}))))
      .map((w) => w.word);
  }

  function onlyCommonWords(q) {
    const all = queryWords.readerWords(q);
    return all.length > 0 && commonWords(q).length === all.length;
  }

  function tooCommon(words) {
    const list = pageText.intl("ListFormat", { type: "conjunction" }).format(words.map(quote));
    return say(words.length === 1 ? "common-one" : "common-other", { words: list });
  }

  // The article, with the words to mark on it (?highlight=, read by js/highlight.js), as Pagefind does.
  function resultHref(doc) {
    const href = (app.dataset.root || "") + "/" + doc.url;
    const common = new Set(commonWords(current.q));
    const words = queryWords.readerWords(current.q).filter((w) => !common.has(w.word))
      .map((w) => w.word + (w.prefix ? "*" : ""));
    return words.length ? href + "?highlight=" + encodeURIComponent(words.join(" ")) : href;
  }

  // As a result is about to open (pointer down, keyboard focus, context menu), its link also names
  // the words marked in its card: the article's own spellings of what matched (another
  // transliteration, a corrected typo), which highlight.js could not guess from the typed words.
  function addMarkedWords(event) {
    const link = event.target.closest && event.target.closest(".card-title a");
    if (!link || !link.search) return;
    const params = new URLSearchParams(link.search);
    const words = (params.get("highlight") || "").split(" ").filter(Boolean);
    const seen = new Set(words.map((w) => w.toLowerCase()));
    link.closest("li").querySelectorAll("mark").forEach((mark) => {
      const word = mark.textContent.trim();
      if (word && !seen.has(word.toLowerCase())) { seen.add(word.toLowerCase()); words.push(word); }
    });
    params.set("highlight", words.join(" "));
    link.search = "?" + params.toString();
  }

  // ---- the page's sentences (js/page-text.js) -----------------------------------------------

  const pageText = window.digestText;
  const sentences = document.getElementById("search-text"); // rendered by includes/search_text.html

  function say(name, values) {
    return pageText.text(sentences, name, values);
  }

  function quote(words) {
    return say("quote", { text: words });
  }

  // Tells js/search-export.js which results the page shows (the refs of all of them, in order, not only
  // the first page's), so that it can offer them as CSV and JSON; none for an empty search or an error.
  // With the index's size and one loaded result's address, which the records must agree with (a
  // records file from another build, such as one a browser kept from before a deploy, would not).
  function offerResults(state, hits) {
    const loaded = hits.length && hits[0].doc.loaded ? hits[0] : null;
    app.dispatchEvent(new CustomEvent("digest:results", { detail: { state: state, refs: hits.map((h) => h.ref),
      total: engine ? engine.n : 0, sample: loaded ? { ref: loaded.ref, url: loaded.doc.url } : null } }));
  }

  // ---- rendering ---------------------------------------------------------------------------

  function setStatus(text) {
    status.textContent = text;
  }

  function clearNode(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // The month's name as the language writes it in a date (genitive in Russian), in the page's pattern.
  function formatDate(doc) {
    const [y, m, d] = doc.date.split("-");
    const parts = pageText.intl("DateTimeFormat", { day: "numeric", month: "long", timeZone: "UTC" })
      .formatToParts(new Date(Date.UTC(Number(y), Number(m) - 1, Number(d))));
    const month = (parts.find((p) => p.type === "month") || { value: m }).value;
    const date = say("date", { day: Number(d), month: month, year: y });
    return doc.approximate ? say("date-approximate", { date: date }) : date;
  }

  // Appends `text` to `parent`, wrapping words whose index term matched the query in <mark>.
  function appendHighlighted(parent, text) {
    text.split(SEPARATOR).forEach((piece, i) => {
      if (!piece) return;
      if (i % 2 === 1 || !terms.size) { parent.appendChild(document.createTextNode(piece)); return; }
      const [, lead, core, tail] = piece.match(EDGE);
      if (matchedTerm(core)) {
        if (lead) parent.appendChild(document.createTextNode(lead));
        const mark = document.createElement("mark");
        mark.textContent = core;
        parent.appendChild(mark);
        if (tail) parent.appendChild(document.createTextNode(tail));
      } else {
        parent.appendChild(document.createTextNode(piece));
      }
    });
  }

  const PHRASE_CHECKED = 200; // results whose text is loaded to look for a quoted phrase
  const SNIPPET_WORDS = 36;
  const SNIPPET_LEAD = 12; // words shown before the first match of the passage

  // The passage of SNIPPET_WORDS words with the most distinct query terms (then the most matches),
  // anywhere in the text, as Pagefind does; the opening when nothing matches.
  function snippet(text) {
    const pieces = text.split(SEPARATOR);
    const hits = []; // [piece index, term] of each matching word
    if (terms.size) {
      for (let i = 0; i < pieces.length; i += 2) {
        const t = matchedTerm(pieces[i].match(EDGE)[2]);
        if (t) hits.push([i, t]);
      }
    }
    let first = -1, best = -1;
    for (let h = 0; h < hits.length; h++) {
      const seen = new Set();
      let count = 0;
      for (let k = h; k < hits.length && hits[k][0] < hits[h][0] + 2 * SNIPPET_WORDS; k++) { seen.add(hits[k][1]); count++; }
      const score = seen.size * 1000 + count;
      if (score > best) { best = score; first = hits[h][0]; }
    }
    const start = Math.max(0, first - 2 * SNIPPET_LEAD);
    const end = Math.min(pieces.length, start + 2 * SNIPPET_WORDS);
    return (start > 0 ? "… " : "") + pieces.slice(start, end).join("") + (end < pieces.length ? " …" : "");
  }

  // The theme's card markup (includes/macros.html article_list), built with DOM APIs only.
  function renderHit(doc) {
    const li = document.createElement("li");
    const card = document.createElement("article");
    card.className = "card search-result";
    if (doc.lang) card.lang = doc.lang;
    const h = document.createElement("h2");
    h.className = "card-title";
    const a = document.createElement("a");
    a.href = resultHref(doc);
    appendHighlighted(a, doc.title);
    h.appendChild(a);
    card.appendChild(h);

    const meta = document.createElement("p");
    meta.className = "meta";
    meta.lang = pageText.lang(); // the date and names are in the page's words, the card in the article's
    const time = document.createElement("time");
    time.dateTime = doc.date;
    time.textContent = formatDate(doc);
    meta.appendChild(time);
    const countries = doc.countries.map((c) => engine.countries[c] || c).join(", ");
    [countries, engine.topics[doc.topic] || doc.topic].forEach((text) => {
      if (!text) return;
      const sep = document.createElement("span");
      sep.className = "sep";
      sep.setAttribute("aria-hidden", "true");
      sep.textContent = "·";
      const span = document.createElement("span");
      span.textContent = text;
      meta.append(" ", sep, " ", span);
    });
    card.appendChild(meta);

    const p = document.createElement("p");
    p.className = "summary search-snippet";
    if (doc.text) {
      appendHighlighted(p, snippet(doc.text));
    } else {
      p.classList.add("search-snippet-pending"); // keeps the snippet's room while its chunk loads
      waiting.push([doc, p]);
    }
    card.appendChild(p);
    li.appendChild(card);
    return li;
  }

  // The rows of the results shown next, up to `end`, asked for at once: where the reader asked for
  // them (Show more, the list brought back by Back), nothing else waits on the page's thread.
  function askForRows(end) {
    loadTexts(shown.slice(shownCount, end));
  }

  // Appends the next page of results as their rows and texts load: its first screen, then the rest.
  // Each part's rows are asked for once the part before it is drawn: a chunk is a script element, and
  // asking for the rest of the page with the first screen would hold up its drawing on the page's one
  // thread, for rows below the fold. Resolves when the whole page is on screen.
  let appended = Promise.resolve();
  function appendPage() {
    const next = shown.slice(shownCount, shownCount + PAGE_SIZE);
    shownCount += next.length;
    const more = shownCount < shown.length;
    const mine = generation;
    const parts = [next.slice(0, FIRST_SCREEN), next.slice(FIRST_SCREEN)];
    parts.forEach((part, i) => {
      appended = appended.then(() => (mine === generation ? loadTexts(part) : undefined)).then(() => {
        if (mine !== generation) return;
        const fragment = document.createDocumentFragment();
        waiting = [];
        part.forEach((hit) => { if (hit.doc.loaded) fragment.appendChild(renderHit(hit.doc)); });
        list.appendChild(fragment);
        waiting.forEach(([, p]) => p.remove()); // an article without text
        if (i === parts.length - 1) moreWrap.hidden = !more;
      });
    });
    return appended;
  }

  // Resolves once the next frame is painted (at once in a hidden page, which paints none).
  function afterPaint() {
    return new Promise((resolve) => {
      if (document.hidden) window.setTimeout(resolve, 0);
      else window.requestAnimationFrame(() => window.setTimeout(resolve, 0));
    });
  }

  function describeFilters(state) {
    const parts = [];
    if (state.country) parts.push(say("in-country", { country: engine.countries[state.country] || state.country }));
    if (state.topic) parts.push(say("on-topic", { topic: engine.topics[state.topic] || state.topic }));
    if (state.year) parts.push(say("from-year", { year: state.year }));
    return parts.length ? pageText.intl("ListFormat", LIST).format(parts) : "";
  }

  function stateLink(text, state) {
    const a = document.createElement("a");
    a.href = queryString(state) || "?";
    a.textContent = text;
    a.addEventListener("click", (event) => {
      event.preventDefault();
      apply(state, true);
      input.focus();
    });
    return a;
  }

  function plainLink(text, href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function showNotice(messages, withHelp, state) {
    clearNode(notice);
    messages.forEach((m) => {
      const p = document.createElement("p");
      p.textContent = m;
      notice.appendChild(p);
    });
    if (withHelp) {
      const ul = document.createElement("ul");
      const add = (nodes) => {
        const li = document.createElement("li");
        nodes.forEach((n) => li.appendChild(typeof n === "string" ? document.createTextNode(n) : n));
        ul.appendChild(li);
      };
      if (FACETS.some((f) => state[f]) && state.q.trim()) {
        add([stateLink(say("search-everywhere", { query: quote(state.q.trim()) }),
          { q: state.q, country: "", topic: "", year: "" })]);
      } else if (FACETS.some((f) => state[f])) {
        add([stateLink(say("remove-filters"), { q: "", country: "", topic: "", year: "" })]);
      }
      if (state.q.trim() && !onlyCommonWords(state.q)) {
        add([say("try-fewer")]);
      }
      add(pageText.nodes(say("browse"), { country: plainLink(say("browse-country"), app.dataset.countriesUrl),
        topic: plainLink(say("browse-topic"), app.dataset.topicsUrl) }));
      notice.appendChild(ul);
    }
    notice.hidden = !notice.firstChild;
  }

  const baseTitle = document.title;

  // The focus handler and the typing timer can both ask for the same state once the index is in:
  // it is drawn once.
  function render(state) {
    const key = queryString(state);
    if (key === drawnKey) {
      if (completed === generation) app.dataset.status = "done";
      return;
    }
    drawnKey = key;
    const mine = ++generation;
    app.dataset.status = "pending"; // until these results are on screen, whatever an earlier search said
    const q = state.q.trim();
    const filters = FACETS.map((f) => state[f]).filter(Boolean).join(", ");
    const what = [q && quote(q), filters].filter(Boolean).join(" · ");
    document.title = what ? what + " · " + baseTitle : baseTitle;
    draw(state).then(() => (mine === generation ? restoreView() : null)).then(() => {
      // For people and tests: the results on screen, snippets included, match the URL.
      if (mine !== generation) return;
      completed = mine;
      app.dataset.status = "done";
    });
  }

  // Shows the results of `state`; resolves when the first page's snippets are in. The list on
  // screen stays until the new results are ready.
  function draw(state) {
    rendered = true;
    current = state;
    const clear = () => {
      clearNode(list);
      shown = [];
      shownCount = 0;
      moreWrap.hidden = true;
      appended = Promise.resolve(); // an older query's rows still loading hold up none of these
    };
    const done = Promise.resolve();
    if (isEmpty(state)) {
      clear();
      setTerms(new Set());
      updateFacets(everyDoc(), state);
      setStatus("");
      showNotice([], false, state);
      offerResults(state, []);
      return done;
    }
    const mine = generation;
    const firstPage = (result) => (result.phrases.length ? [] : filtered(result.hits, state, PAGE_SIZE));
    return runQuery(withCountryNames(state)).then((result) => {
      // The results are drawn once the rows of the first page's first screen are in (appendPage asks
      // for the rest then); once the whole page's are when the messages name corrected words as the
      // page's results spell them (surfaceForm).
      const page = firstPage(result);
      return loadTexts(result.corrections.length ? page : page.slice(0, FIRST_SCREEN)).then(() => {
        if (mine !== generation) return undefined;
        clear();
        setTerms(result.terms);
        return result.phrases.length ? showPhrase(state, result, mine) : show(state, result);
      });
    });
  }

  // A phrase: keep the results whose title or text holds it. Their texts are loaded to check, for
  // the PHRASE_CHECKED best results only, so that a common phrase cannot load the whole archive.
  function showPhrase(state, result, mine) {
    result.phraseLimited = result.hits.length > PHRASE_CHECKED;
    const candidates = result.hits.slice(0, PHRASE_CHECKED);
    return loadTexts(candidates).then(() => {
      if (mine !== generation) return undefined;
      result.hits = candidates.filter((h) =>
        result.phrases.every((phrase) => engine.index.containsPhrase([h.doc.title, h.doc.text], phrase)));
      return show(state, result);
    });
  }

  // The word a reader would write for one of these index terms: as it appears in a result's title or
  // text, else the term itself.
  function surfaceForm(wanted, hits) {
    for (let h = 0; h < hits.length && h < PAGE_SIZE; h++) {
      const words = (hits[h].doc.title + " " + hits[h].doc.text).split(SEPARATOR);
      for (let i = 0; i < words.length; i += 2) {
        const core = words[i].match(EDGE)[2];
        if (core && wanted.indexOf(stem(core)) !== -1) return core.replace(/['’]s$/, "");
      }
    }
    return wanted[0];
  }

  // What the page says about phrases and corrected words, before the results.
  function queryMessages(state, result) {
    const messages = [];
    result.phrases.forEach((phrase) => {
      messages.push(say("phrase-only", { phrase: quote(phrase.join(" ")) }));
    });
    if (result.phraseLimited) {
      messages.push(pageText.plural(sentences, "phrase-limited", PHRASE_CHECKED));
    }
    let nodes = null;
    if (result.corrections.length && shown.length) {
      let corrected = state.q;
      result.corrections.forEach((c) => {
        corrected = corrected.replace(new RegExp(c.word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"), surfaceForm(c.terms, shown));
      });
      const exact = Object.assign({}, state, { exact: "1" });
      nodes = pageText.nodes(say("corrected"), { query: quote(corrected.trim()),
        instead: stateLink(say("instead", { query: quote(state.q.trim()) }), exact) });
    }
    return { messages: messages, nodes: nodes };
  }

  function show(state, result) {
    const done = Promise.resolve();
    if (result.error) {
      updateFacets(result.hits, state);
      setStatus(result.error);
      showNotice([], false, state);
      offerResults(state, []);
      return done;
    }
    shown = filtered(result.hits, state, Infinity);
    offerResults(state, shown);
    // The query in quotation marks, unless it is one phrase in quotes already.
    const quoted = (words) => quote(/^["“][^"“”]*["”]$/.test(words) ? words.slice(1, -1) : words);
    const q = state.q.trim();
    const filters = describeFilters(state);
    const messages = result.warning ? [result.warning] : [];
    const about = queryMessages(state, result);
    messages.push(...about.messages);
    if (!shown.length) {
      updateFacets(result.hits, state);
      const common = commonWords(q);
      if (common.length) messages.push(tooCommon(common));
      setStatus(say(q ? (filters ? "none-query-filters" : "none-query") : "none-filters", { query: quoted(q), filters: filters }));
      showNotice(messages, true, state);
      return done;
    }
    const counted = q ? (filters ? "count-query-filters" : "count-query") : "count-filters";
    setStatus(pageText.plural(sentences, counted, shown.length, { query: quoted(q), filters: filters }));
    showNotice(messages, false, state);
    if (about.nodes) {
      const p = document.createElement("p");
      p.className = "search-correction";
      about.nodes.forEach((n) => p.appendChild(typeof n === "string" ? document.createTextNode(n) : n));
      notice.insertBefore(p, notice.firstChild);
      notice.hidden = false;
    }
    // The filters' counts, which the reader reads after the results, once their first screen is painted.
    const mine = generation;
    const facetCounts = afterPaint().then(() => (mine === generation ? updateFacets(result.hits, state) : undefined));
    return Promise.all([appendPage(), facetCounts]);
  }


  function apply(state, push) {
    showState(state);
    saveState(state, push);
    current = state;
    if (isEmpty(state) && !engine) return;
    app.dataset.status = "pending";
    ensureLoaded().then(() => render(current), () => {});
  }

  // ---- the view in history ------------------------------------------------------------------
  // The history entry keeps how many results were on screen and where the page was scrolled, so
  // that Back from an article (or a reload) shows the same list at the same place. The browser's
  // own scroll restoration runs before the results exist. history.state works from file:// too.

  function rememberView() {
    if (drawnKey === null || app.dataset.status !== "done") return;
    const view = { key: drawnKey, shown: shownCount, scroll: Math.round(window.scrollY) };
    try {
      window.history.replaceState(Object.assign({}, window.history.state, { digestView: view }), "");
    } catch (e) {
      /* some browsers refuse history changes on file:// pages: Back then shows the first page */
    }
  }

  // Brings back the results and the scroll position of the entry's last visit: a promise that
  // resolves when they are back, or null when the entry has none to restore.
  function restoreView() {
    const view = (window.history.state || {}).digestView;
    if (!view || view.key !== drawnKey) return null;
    const pages = [];
    askForRows(Math.min(view.shown, shown.length));
    while (shownCount < Math.min(view.shown, shown.length)) pages.push(appendPage());
    return Promise.all(pages).then(() => scrollBackTo(view.scroll, 60));
  }

  // While the page is still too short to reach y (rows or snippets still arriving), try again on the
  // next frames, for at most `frames` of them: a scroll clamped early would otherwise stay short of y.
  function scrollBackTo(y, frames) {
    window.scrollTo(0, y);
    const reachable = document.documentElement.scrollHeight - window.innerHeight >= y;
    if (!reachable && frames > 0) {
      return new Promise((resolve) => window.requestAnimationFrame(resolve)).then(() => scrollBackTo(y, frames - 1));
    }
    return undefined;
  }

  // ---- keyboard ----------------------------------------------------------------------------

  // Down and Up step from the box through the results to "Show more results", and back.
  function stepThroughResults(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const links = Array.from(list.querySelectorAll(".card-title a"));
    const order = [input].concat(links, moreWrap.hidden ? [] : [moreButton]);
    const at = order.indexOf(document.activeElement);
    const target = at === -1 ? null : order[at + (event.key === "ArrowDown" ? 1 : -1)];
    if (!target) return;
    event.preventDefault();
    target.focus();
  }

  // After "Show more results", focus goes to the first new result rather than to <body>.
  // The page is "pending" until the new results (whose rows may need loading) are on screen.
  function showMore() {
    const first = list.children.length;
    const mine = generation;
    moreButton.disabled = true;
    app.dataset.status = "pending";
    askForRows(shownCount + PAGE_SIZE);
    appendPage().then(() => {
      moreButton.disabled = false;
      if (mine !== generation) return;
      if (completed === generation) app.dataset.status = "done";
      const link = list.children[first] && list.children[first].querySelector(".card-title a");
      if (link) link.focus();
      rememberView();
    });
  }

  // ---- events ------------------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    typing = false;
    apply(stateFromForm(), true);
  });

  // Focusing the box is the first sign of a search: fetch the index while the reader types.
  input.addEventListener("focus", () => {
    ensureLoaded().then(() => { if (!rendered && !timer) render(current); }, () => {});
  });

  // The words typed so far, searched once typing pauses.
  // With the index in, the search starts before the address is updated: the history entry costs the
  // page's thread some milliseconds, which it can spend while the query's chunks download.
  function searchTyped() {
    timer = 0;
    const state = stateFromForm();
    const push = !typing;
    typing = true;
    current = state;
    if (engine) render(current);
    else ensureLoaded().then(() => render(current), () => {});
    saveState(state, push);
  }

  input.addEventListener("input", () => {
    app.dataset.status = "pending";
    window.clearTimeout(timer);
    timer = window.setTimeout(searchTyped, 60);
    // While the index loads, the pause costs nothing: once it is in, what has been typed is searched at once.
    if (!engine) {
      ensureLoaded().then(() => {
        if (!timer) return;
        window.clearTimeout(timer);
        searchTyped();
      }, () => {});
    }
  });

  // Stepping through a closed filter's options with the arrow keys changes it at every step: the
  // first step adds a history entry and the next ones replace it, until the filter loses focus.
  // A choice made with the mouse is a change of its own.
  let browsing = null; // the filter being stepped through
  let keyDown = false;
  FACETS.forEach((f) => {
    const select = selects[f];
    select.addEventListener("keydown", () => { keyDown = true; });
    select.addEventListener("keyup", () => { keyDown = false; });
    select.addEventListener("blur", () => {
      keyDown = false;
      if (browsing === select) browsing = null;
    });
    select.addEventListener("change", () => {
      typing = false;
      const push = browsing !== select;
      browsing = keyDown ? select : null;
      apply(stateFromForm(), push);
    });
  });

  moreButton.addEventListener("click", showMore);
  app.addEventListener("keydown", stepThroughResults);

  if ("scrollRestoration" in window.history) window.history.scrollRestoration = "manual";
  let viewTimer = 0;
  window.addEventListener("scroll", () => {
    window.clearTimeout(viewTimer);
    viewTimer = window.setTimeout(rememberView, 150);
  }, { passive: true });
  window.addEventListener("pagehide", rememberView);
  list.addEventListener("click", rememberView); // before the article opens
  ["pointerdown", "focusin", "contextmenu"].forEach((type) => list.addEventListener(type, addMarkedWords));

  window.addEventListener("popstate", () => {
    typing = false;
    const state = stateFromUrl();
    showState(state);
    followLanguageSwitch(state);
    current = state;
    if (engine || !isEmpty(state)) {
      app.dataset.status = "pending";
      ensureLoaded().then(() => render(current), () => {});
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  const whenIdle = (work) => (window.requestIdleCallback ? window.requestIdleCallback(work, { timeout: 1000 }) : window.setTimeout(work, 0));
  whenIdle(() => {
    prepareFormatters();
    pageText.intl("ListFormat", LIST);
  });

  const initial = stateFromUrl();
  showState(initial);
  followLanguageSwitch(initial);
  current = initial;
  if (!isEmpty(initial)) ensureLoaded().then(() => render(current), () => {});
})();
