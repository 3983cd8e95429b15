/* The citation on an article page (includes/citation.html): fills in today's date as the access date,
 * and copies the citation as plain text. A classic script (it must work from file://), loaded on
 * article pages only. Where the Clipboard API is missing or refused, the citation is selected and
 * copied with execCommand; if that fails too, it stays selected and the status says how to copy it.
 * Its messages are the template's data attributes (data-copied, data-copy-failed), so they are
 * translated with the page.
 */
(function () {
  "use strict";

  const box = document.getElementById("citation");
  if (!box) return;
  const text = box.querySelector("[data-citation-text]");
  const accessed = box.querySelector("[data-citation-accessed]");
  const date = box.querySelector("[data-citation-date]");
  const button = box.querySelector("[data-citation-copy]");
  const status = box.querySelector("[data-citation-status]");
  if (!text || !button || !status) return;

  if (accessed && date) {
    const today = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    date.dateTime = date.textContent = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
    accessed.hidden = false;
  }

  function say(message) {
    status.textContent = message || "";
  }

  function selectAndCopy() {
    const range = document.createRange();
    range.selectNodeContents(text);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(copied ? box.dataset.copied : box.dataset.copyFailed);
  }

  button.addEventListener("click", () => {
    const plain = text.textContent.replace(/\s+/g, " ").trim();
    say("");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(plain).then(() => say(box.dataset.copied), selectAndCopy);
    } else {
      selectAndCopy();
    }
  });
  button.hidden = false;
})();
