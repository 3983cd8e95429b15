/* On an article opened from the search page, marks the words the reader searched for.
 *
 * The search page links each result with ?highlight=<the words typed> (as Pagefind and Material
 * for MkDocs do). This script wraps those words in <mark> inside the elements marked
 * data-highlight-scope (the title and the body) and shows the bar #highlight-bar, whose button
 * turns the highlighting off and drops ?highlight= from the address, so a reload or a shared link
 * shows the plain page. Its sentences are the template's data attributes (data-found-<sample n>,
 * data-word), read through js/page-text.js, loaded before this, so they are translated with the page.
 *
 * A word matches the words of its family, without the search index: case, ё/е, straight and curly
 * apostrophes, a possessive 's and common English and Russian endings are set aside
 * ("journalists" marks "journalist", "Хакимова" marks "Хакимовой"); journ* marks every word that
 * starts with "journ". A classic script (it must work from file://), loaded on article pages only.
 */
(function () {
  "use strict";

  const PARAM = "highlight";
  const SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA|MARK)$/;
  const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
  // Longest first: the first one that leaves at least three letters is dropped.
  const RU_ENDINGS = ["ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ий", "ый", "ая", "яя",
    "ое", "ее", "ов", "ев", "ам", "ям", "ах", "ях", "ом", "ем", "ую", "юю", "ые", "ие", "а", "я", "о", "е", "ы",
    "и", "у", "ю", "ь"];

  const bar = document.getElementById("highlight-bar");
  const params = new URLSearchParams(window.location.search);
  const wanted = parse(params.get(PARAM) || "");
  if (!bar || !wanted.length) return;

  function fold(word) {
    return word.toLowerCase().replace(/ё/g, "е").replace(/’/g, "'");
  }

  function family(word) {
    let s = fold(word).replace(/'s$/, "").replace(/'/g, "");
    if (/[\u0400-\u04FF]/.test(s)) {
      const end = RU_ENDINGS.find((e) => s.length - e.length >= 3 && s.endsWith(e));
      return end ? s.slice(0, -end.length) : s;
    }
    if (s.length > 4) {
      if (s.endsWith("ies")) s = s.slice(0, -3) + "y";
      else if (s.endsWith("ing") && s.length > 5) s = s.slice(0, -3);
      else if (s.endsWith("ed")) s = s.slice(0, -2);
      else if (/(ss|x|ch|sh)es$/.test(s)) s = s.slice(0, -2);
      else if (s.endsWith("s") && !s.endsWith("ss")) s = s.slice(0, -1);
      if (s.length > 4 && s.endsWith("e")) s = s.slice(0, -1);
    }
    return s;
  }

  // "journalists kloop journ*" -> [{family: "journalist"}, {family: "kloop"}, {prefix: "journ"}]
  function parse(text) {
    return text.split(/\s+/).filter(Boolean).slice(0, 20).map((w) => {
      const prefix = /\*$/.test(w);
      const word = w.replace(/\*/g, "");
      return { word: word, prefix: prefix ? fold(word) : "", family: prefix ? "" : family(word) };
    }).filter((w) => w.word);
  }

  function matches(token) {
    const f = family(token);
    const folded = fold(token);
    return wanted.some((w) => (w.prefix ? folded.startsWith(w.prefix) : w.family === f));
  }

  function textNodes(root) {
    const nodes = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => {
        for (let el = node.parentElement; el && el !== root.parentElement; el = el.parentElement) {
          if (SKIP.test(el.tagName)) return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  // Wraps the matching words of one text node in <mark>; returns the marks it made.
  function markNode(node) {
    const text = node.nodeValue;
    const marks = [];
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const m of text.matchAll(WORD)) {
      if (!matches(m[0])) continue;
      if (m.index > last) fragment.appendChild(document.createTextNode(text.slice(last, m.index)));
      const mark = document.createElement("mark");
      mark.className = "search-highlight";
      mark.textContent = m[0];
      fragment.appendChild(mark);
      marks.push(mark);
      last = m.index + m[0].length;
    }
    if (!marks.length) return marks;
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(fragment, node);
    return marks;
  }

  function sentence(count) {
    const text = window.digestText;
    const quoted = wanted.map((w) => text.text(bar, "word", { word: w.word + (w.prefix ? "…" : "") }));
    const words = new Intl.ListFormat(text.lang(), { type: "conjunction" }).format(quoted);
    return text.plural(bar, "found", count, { words: words });
  }

  function turnOff(marks) {
    marks.forEach((mark) => {
      const parent = mark.parentNode;
      if (!parent) return;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
    bar.hidden = true;
    params.delete(PARAM);
    const query = params.toString();
    try {
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    } catch (e) {
      /* a browser that refuses history changes on file:// keeps the address: the marks are gone anyway */
    }
    const main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }

  const marks = [];
  document.querySelectorAll("[data-highlight-scope]").forEach((scope) => {
    textNodes(scope).forEach((node) => { marks.push(...markNode(node)); });
  });
  if (!marks.length) return;
  bar.querySelector("[data-highlight-text]").textContent = sentence(marks.length);
  bar.querySelector("[data-highlight-off]").addEventListener("click", () => turnOff(marks));
  bar.hidden = false;
})();
