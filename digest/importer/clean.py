"""Text clean-up: mojibake, stray HTML, run-in sub-headings, summaries, language and slugs.

Every rule here is conservative: it changes text only where the evidence is clear, and leaves
the source's own wording and typos alone.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

from digest.schema import WINDOWS_RESERVED_NAMES

# --- mojibake -------------------------------------------------------------------------------
# Russian saved as cp1251 and read as cp1252 turns every Cyrillic letter into one of these.
_MOJI_CHARS = "\u00c0-\u00ff\u00a8\u00b8"
_MOJI_RUN = re.compile(rf"[{_MOJI_CHARS}]+(?:[\s,.;:!?()«»\"'\-—–]+[{_MOJI_CHARS}]+)*")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def repair_mojibake(text: str) -> str:
    """Undo cp1251-read-as-cp1252 where a run of such letters decodes to plain Cyrillic.

    A run must be made only of Latin-1 letters (no ASCII letters inside the words), hold a word of
    at least four letters or two words, and decode wholly to Cyrillic letters; otherwise it is kept.
    """

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        words = re.findall(rf"[{_MOJI_CHARS}]+", run)
        if not (any(len(w) >= 4 for w in words) or len(words) >= 2):
            return run
        try:
            fixed = run.encode("cp1252").decode("cp1251")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run
        letters = [c for c in fixed if c.isalpha()]
        if letters and all(_is_cyrillic(c) for c in letters):
            return fixed
        return run

    # Only whole words: the run must not touch an ASCII letter on either side.
    out = []
    last = 0
    for m in _MOJI_RUN.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
            continue
        out.append(text[last : m.start()])
        out.append(fix(m))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


# --- HTML and Markdown ------------------------------------------------------------------------
_INLINE = {"em": "*", "i": "*", "strong": "**", "b": "**"}
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
_DROP_TAGS = {"p", "span", "div", "br", "font", "u", "small", "big", "sup", "sub", "center"}


# Source text that Markdown would turn into a link, an image or a reference definition ("[x](https://…)",
# "![i](…)", "[ref]: …", "[x] [ref]") must show as the text it is: a closing bracket that opens a link's address or
# reference is escaped, and so is every backslash (which could undo that); "[sic]" and "[of workers]" stay as written.
_LINK_SYNTAX = re.compile(r"(\\|\](?=\s?[(\[:]))")
_LINK_ESCAPED = re.compile(r"\\([\\\[\]])")


def convert_html(text: str) -> str:
    """Balanced <em>/<strong> become Markdown emphasis; stray or layout tags are dropped;
    anything else that looks like markup is escaped so it shows as text, and so is link syntax."""

    text = _LINK_SYNTAX.sub(r"\\\1", text)
    opens: dict[str, int] = {}
    closes: dict[str, int] = {}
    for m in _TAG.finditer(text):
        counts = closes if m.group(0).startswith("</") else opens
        counts[m.group(1).lower()] = counts.get(m.group(1).lower(), 0) + 1
    balanced = {t for t in _INLINE if opens.get(t, 0) and opens.get(t, 0) == closes.get(t, 0)}

    def repl(m: re.Match[str]) -> str:
        name = m.group(1).lower()
        if name in _INLINE:
            return _INLINE[name] if name in balanced else ""
        if name == "br":
            return " "
        if name in _DROP_TAGS:
            return ""
        return html.escape(m.group(0), quote=False)

    text = _TAG.sub(repl, text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return unescape_entities(text)


def unescape_entities(text: str) -> str:
    """Turn &amp; &nbsp; &#8217; and friends into characters, but keep &lt; escapes we made."""
    return re.sub(
        r"&(?!lt;)(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);",
        lambda m: html.unescape(m.group(0)) if m.group(1).lower() not in ("lt", "gt") else m.group(0),
        text,
    )


_BLOCK_START = re.compile(r"^(\s*)(#{1,6}\s|>|[-*+]\s|\d+[.)]\s|={3,}|-{3,}|```|~~~|\||\[)")


def escape_markdown_line(line: str) -> str:
    """A paragraph that happens to start like Markdown block syntax stays a plain paragraph."""
    m = _BLOCK_START.match(line)
    if not m:
        return line
    start = len(m.group(1))
    return (
        line[:start] + "\\" + line[start:] if not line[start].isdigit() else re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", line)
    )


# Characters that are never text: C0 and C1 controls, zero-width space, BOM, lone surrogates and the
# non-characters U+FFFE/U+FFFF. YAML cannot hold most of them, and no reader can see them.
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\ufeff\ud800-\udfff\ufffe\uffff]")


def clean_line(text: str) -> str:
    """Normalise one raw line: control characters out, mojibake repaired, spaces tidied."""
    text = _CONTROL.sub("", text).replace("\u00a0", " ").replace("\t", " ")
    text = unicodedata.normalize("NFC", text)
    return repair_mojibake(text).strip()


def collapse_spaces(text: str) -> str:
    return re.sub(r"[ ]{2,}", " ", text).strip()


# --- sub-headings run into paragraphs -----------------------------------------------------------
_CONNECTORS = {"of", "on", "and", "for", "from", "the", "to", "in", "a", "an", "with", "at", "by"}
_STARTERS = {
    "The", "In", "A", "An", "This", "These", "That", "It", "He", "She", "They", "We", "His", "Her", "Their",
    "Its", "According", "On", "As", "After", "Before", "Since", "While", "Despite", "Under", "At", "For",
    "When", "However", "Sources", "Officials", "Authorities", "Police", "Critics", "Experts", "Observers",
}  # fmt: skip
_WORD = re.compile(r"\S+")
_CAP_WORD = re.compile(r"^[A-Z][\w’'\-]*$")
_SENT_END = re.compile(r"[.!?][”\"’)]*$")
_ABBREV = {"Mr.", "Mrs.", "Ms.", "Dr.", "Pres.", "St.", "Gen.", "Col.", "No.", "Jan.", "Feb.", "Aug.", "Sept.",
           "Oct.", "Nov.", "Dec.", "U.S.", "U.K.", "Jr.", "Sr.", "vs.", "etc."}  # fmt: skip


def _bare(word: str) -> str:
    return re.sub(r"(’s|'s)$", "", word.strip("“”\"'(),.;:!?"))


MAX_HEADING_SCAN = 30_000


def split_run_in_headings(paragraph: str) -> list[tuple[str, str]]:
    """Split "... in the dark. The Allegations Sources suggest ..." into text and heading parts.

    Returns [("p", text), ("h", heading), ("p", text), ...]. A heading is accepted only when all of
    these hold, so that ordinary sentences starting with a name are never cut:
    - it follows a sentence end and is 1–5 capitalised words (plus small connecting words);
    - the next word is capitalised and starts a sentence: either a common sentence opener
      ("The", "In", "Sources", ...) or a name that appears elsewhere in the text after a
      lower-case word or a full stop (so "Human Rights" + "Watch" is never split);
    - heading and next word do not appear together anywhere else in the text.
    """
    if len(paragraph) > MAX_HEADING_SCAN:  # far longer than any article: prefer missing a heading
        return [("p", paragraph)]
    tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(paragraph)]
    cuts: list[tuple[int, int, int]] = []  # (heading start char, heading end char, next word start char)
    i = 1
    while i < len(tokens):
        prev = tokens[i - 1][2]
        if not _SENT_END.search(prev) or prev in _ABBREV or re.fullmatch(r"[A-Z]\.", prev):
            i += 1
            continue
        found = _heading_at(paragraph, tokens, i)
        if found is None:
            i += 1
            continue
        end_index = found
        cuts.append((tokens[i][0], tokens[end_index - 1][1], tokens[end_index][0]))
        i = end_index + 1
    if not cuts:
        return [("p", paragraph)]
    parts: list[tuple[str, str]] = []
    pos = 0
    for start, end, nxt in cuts:
        before = paragraph[pos:start].strip()
        if before:
            parts.append(("p", before))
        parts.append(("h", paragraph[start:end].strip()))
        pos = nxt
    rest = paragraph[pos:].strip()
    if rest:
        parts.append(("p", rest))
    return parts


def _heading_at(text: str, tokens: list[tuple[int, int, str]], i: int) -> int | None:
    """If a heading starts at token i, the index of the token that starts the next sentence."""
    words: list[str] = []
    capitals = 0
    for j in range(i, min(i + 8, len(tokens))):
        word = tokens[j][2]
        if (
            j > i
            and capitals >= 1
            and _CAP_WORD.match(words[-1])
            and _CAP_WORD.match(word)
            and _accept(text, tokens, i, j, words, capitals)
        ):
            return j
        if word in _CONNECTORS and j > i:
            words.append(word)
            continue
        if not _CAP_WORD.match(word) or any(c.isdigit() for c in word):
            return None
        if word not in _CONNECTORS and word.lower() not in _CONNECTORS:
            capitals += 1
        if capitals > 5:
            return None
        words.append(word)
    return None


def _accept(text: str, tokens, i: int, j: int, words: list[str], capitals: int) -> bool:
    nxt = tokens[j][2]
    if j + 1 >= len(tokens):
        return False
    after = tokens[j + 1][2]
    # The next sentence must go on like a sentence: its second word is lower case, or a name
    # followed by a lower-case word, with no punctuation in between that would make it a list.
    if words[0] in _STARTERS and len(words) == 1:
        return False
    if words[-1] in _CONNECTORS:
        return False
    heading = " ".join(words)
    if f"{words[-1]} {nxt}" in text[: tokens[i][0]] + text[tokens[j][1] :]:
        return False
    if heading in text[: tokens[i][0]] + text[tokens[j][1] :]:
        return False
    nxt_bare = _bare(nxt)
    if nxt_bare in _STARTERS and nxt == nxt_bare:
        return after[:1].islower() or _CAP_WORD.match(after) is not None
    if len(words) < 2 or not nxt_bare:
        return False
    # A name: seen elsewhere after a lower-case word or a sentence end, not as part of a longer name.
    elsewhere = [
        m for m in re.finditer(rf"(?<![\w-]){re.escape(nxt_bare)}(?![\w-])", text) if m.start() != tokens[j][0]
    ]
    for m in elsewhere:
        before = text[: m.start()].rstrip().split(" ")[-1] if text[: m.start()].strip() else ""
        if not before or before[:1].islower() or _SENT_END.search(before):
            return after[:1].islower() or after[:1].isupper() or after[:1].isdigit()
    return False


# --- summary, language, slugs ---------------------------------------------------------------------
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[”\"’)]*\s+(?=[“\"«(]?[A-ZА-ЯЁ0-9])")


def sentences(text: str) -> list[str]:
    """Split text into sentences, not after common abbreviations such as "Pres." or "U.S."."""
    out: list[str] = []
    pos = 0
    for m in _SENTENCE_BREAK.finditer(text):
        chunk = text[pos : m.start()]
        last = chunk.split()[-1] if chunk.split() else ""
        if last in _ABBREV or re.fullmatch(r"[A-Z]\.", last):
            continue
        out.append(text[pos : m.end()].strip())
        pos = m.end()
    tail = text[pos:].strip()
    if tail:
        out.append(tail)
    return out


def summarise(paragraphs: list[str], limit: int = 300) -> str:
    """Whole leading sentences up to ``limit`` characters; cut at a word only when the first is longer."""
    paragraphs = [p for p in paragraphs if p and not p.startswith("#")]
    # A short lead line without a full stop ("Kazakh Human Rights Defender calls for action") is a
    # standfirst, not the start of the first sentence.
    first = 0
    while (
        first < len(paragraphs) - 1
        and len(paragraphs[first]) < 100
        and not re.search(r"[.!?…:][”\"’)]*$", paragraphs[first])
    ):
        first += 1
    paragraphs = paragraphs[first:]
    text = " ".join(paragraphs)[: limit * 8]  # the summary needs only the first few sentences
    text = _LINK_ESCAPED.sub(r"\1", re.sub(r"\*+", "", text))
    text = collapse_spaces(text)
    summary = ""
    for sentence in sentences(text):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
    if summary:
        return summary
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return (cut or text[: limit - 1]) + "…"


def cyrillic_share(text: str) -> float:
    """The share of the letters that are Cyrillic: enough to tell the digest's two languages apart."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if _is_cyrillic(c)) / len(letters) if letters else 0.0


def detect_lang(text: str) -> str:
    """``ru`` when most letters are Cyrillic, else ``en`` (the site shows and indexes these two)."""
    return "ru" if cyrillic_share(text) > 0.5 else "en"


def normalise_title(title: str) -> str:
    """The identity of a title: case, quotes, dashes and punctuation do not matter."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[’‘'`´]", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def slugify(title: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug; Cyrillic is transliterated. Never empty, never a name Windows reserves."""
    try:
        from unidecode import unidecode

        ascii_text = unidecode(title)
    except ImportError:  # pragma: no cover - unidecode ships with Pelican
        ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"[’‘'`]", "", ascii_text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    if not slug:
        slug = "article-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if slug in WINDOWS_RESERVED_NAMES:  # a title such as "CON" or "Aux": con.md cannot exist on Windows
        slug += "-article"
    return slug
