/* "/" focuses the page's search box (header or home page), as it does on the search page.
 * A classic script with no dependencies, for base.html: <script src=".../js/search-shortcut.js" defer>.
 * It never loads the search index; only the search page does, once the reader starts to search. */
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  const box = document.querySelector("#search-q, main input[type=search], header input[type=search]");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});
