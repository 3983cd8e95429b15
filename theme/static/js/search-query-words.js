/* What the search page's interface needs to know about the words of a query, without running it.
 *
 * - readerWords(q): the words the reader is looking for, as typed: no operators (+word, word~1,
 *   word^2, quotes), no excluded words (-word), no country:/topic: filters. The search page sends
 *   them to the article it opens (?highlight=), and names the ones too common to search for.
 * - countryCodes(q, countries): country:KZ becomes country:<a word of "Kazakhstan">, because the
 *   index holds country names, not codes. `countries` is the index's code -> name table.
 *
 * A classic script (it must work from file://): defines window.digestQueryWords. No dependencies.
 */
(function () {
  "use strict";

  const FILTER_FIELDS = ["country", "topic"]; // their words name a filter, not words of the text
  const EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

  // [{word, prefix}] in query order, without repeats. prefix: the reader typed journ* for "journ…".
  function readerWords(q) {
    const seen = new Set();
    const words = [];
    String(q || "").split(/\s+/).forEach((token) => {
      if (!token || token.charAt(0) === "-") return;
      let text = token.replace(/^\+/, "");
      const field = text.match(/^([A-Za-z]+):(.*)$/);
      if (field) {
        if (FILTER_FIELDS.indexOf(field[1].toLowerCase()) !== -1) return;
        text = field[2];
      }
      text = text.replace(/"/g, "").replace(/[~^]\d*$/, "");
      text.split(/-+/).forEach((part) => {
        const prefix = /\*$/.test(part);
        const word = part.replace(/\*/g, "").replace(EDGE, "");
        const key = word.toLowerCase() + (prefix ? "*" : "");
        if (!word || seen.has(key)) return;
        seen.add(key);
        words.push({ word: word, prefix: prefix });
      });
    });
    return words;
  }

  // The word of each country's name that no other name in the table has ("states" for the US,
  // "kingdom" for the UK): one term that finds that country and only it.
  function distinctiveWords(countries) {
    const words = {};
    const codes = Object.keys(countries || {});
    const split = (name) => String(name).toLowerCase().split(/[\s-]+/).filter(Boolean);
    codes.forEach((code) => {
      const others = new Set();
      codes.forEach((c) => { if (c !== code) split(countries[c]).forEach((w) => others.add(w)); });
      const own = split(countries[code]);
      const unique = own.filter((w) => !others.has(w));
      const pool = unique.length ? unique : own;
      words[code.toUpperCase()] = pool.reduce((a, b) => (b.length > a.length ? b : a), "");
    });
    return words;
  }

  function countryCodes(q, countries) {
    const text = String(q || "");
    if (!/country:/i.test(text)) return text; // most queries: no need to compare the country names
    const words = distinctiveWords(countries);
    return text.replace(/(^|[\s(])([+-]?)(country):([A-Za-z]{2})(?=$|[\s)])/gi,
      (match, before, sign, field, code) => {
        const word = words[code.toUpperCase()];
        return word ? before + sign + field + ":" + word : match;
      });
  }

  window.digestQueryWords = { readerWords: readerWords, countryCodes: countryCodes };
})();
