/* The page's own sentences, for the scripts that show text (search.js, search-export.js, highlight.js).
 *
 * Every sentence a script shows is a data attribute the template renders, marked for gettext there,
 * so it is translated with the rest of the page; scripts never hold reader-facing text. A sentence
 * names its blanks ({count}, {query}, ...). A sentence with a count comes as one attribute per sample
 * number, data-<name>-<n>, each the template's ngettext(..., n) (includes/plural.html): the form used
 * for a count is the one whose sample has the same plural category in the page's language
 * (Intl.PluralRules of <html lang>), so 21 takes the form of 1 in Russian and 5 that of 0. Counts are
 * written with Intl.NumberFormat for the page's language (5 000 in Russian).
 *
 * A classic script with no dependencies (it must work from file://): defines window.digestText.
 */
(function () {
  "use strict";

  function lang() {
    return document.documentElement.lang || "en";
  }

  // An Intl object for the page's language, made once per kind and options: making one looks the
  // locale up, which costs more than formatting with it (search.js formats dozens per render).
  const made = new Map();
  function intl(kind, options) {
    const key = kind + " " + lang() + " " + JSON.stringify(options || {});
    if (!made.has(key)) made.set(key, new Intl[kind](lang(), options));
    return made.get(key);
  }

  function number(n) {
    return intl("NumberFormat").format(n);
  }

  // The template's sentence with each {key} replaced by values[key].
  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, (blank, key) =>
      (values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : blank));
  }

  // data-<name> of `el`, filled in.
  function text(el, name, values) {
    return fill(el.getAttribute("data-" + name), values);
  }

  // The form of data-<name>-<n> for `count`, filled in; {count} is the count in the page's digits.
  function plural(el, name, count, values) {
    const rules = intl("PluralRules");
    const wanted = rules.select(count);
    const pattern = new RegExp("^data-" + name + "-(\\d+)$");
    let form = null;
    let fallback = null;
    Array.from(el.attributes).forEach((attr) => {
      const sample = attr.name.match(pattern);
      if (!sample) return;
      if (form === null && rules.select(Number(sample[1])) === wanted) form = attr.value;
      fallback = attr.value; // the largest sample: "many" or "other" in every language we have
    });
    return fill(form === null ? fallback : form, Object.assign({}, values, { count: number(count) }));
  }

  // A sentence as a list of strings and DOM nodes: each {key} whose value is a node (a link) is
  // put in as that node, so links can sit inside a translated sentence.
  function nodes(template, values) {
    return String(template || "").split(/(\{\w+\})/).filter(Boolean).map((piece) => {
      const key = piece.match(/^\{(\w+)\}$/);
      if (!key || !values || !Object.prototype.hasOwnProperty.call(values, key[1])) return piece;
      return values[key[1]];
    });
  }

  window.digestText = { lang: lang, intl: intl, number: number, fill: fill, text: text, plural: plural, nodes: nodes };
})();
