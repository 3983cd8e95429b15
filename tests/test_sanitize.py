"""The sanitiser keeps news text and drops everything that could run, load or restyle.

Each case is Markdown a contributor could put in an article body; the assertions parse the
rendered HTML (not substrings of it), so an attribute that survives under another spelling or a
tag that survives inside another is caught.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from digest.render import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, render_markdown, sanitize_html


class _Collect(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Collect:
    collector = _Collect()
    collector.feed(html)
    collector.close()
    return collector


def assert_inert(html: str) -> None:
    """Only allow-listed tags and attributes, and only http(s)/mailto or in-page links."""
    for tag, attrs in parse(html).tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) or (tag == "a" and name == "rel"), (
                f"{tag}[{name}] survived in {html!r}"
            )
            assert not name.startswith("on"), f"event handler {name} survived in {html!r}"
            if name == "href":
                scheme = value.split(":", 1)[0].lower() if ":" in value.split("/")[0] else ""
                assert scheme in ALLOWED_SCHEMES or value.startswith(("#", "/")) or scheme == "", value
                assert "script" not in value.lower().replace(" ", ""), value


HOSTILE = {
    "script": ("<script>alert('x')</script>Text after.", "Text after."),
    "script in paragraph": ("Before <script>alert(1)</script> after.", "Before  after."),
    "style": ("<style>body{display:none}</style>Visible.", "Visible."),
    "iframe": ('<iframe src="https://evil.example/" srcdoc="<script>alert(1)</script>">fallback</iframe>OK', "OK"),
    "img onerror": ("<img src=x onerror=\"alert('img')\">Caption", "Caption"),
    "onclick paragraph": ('<p onclick="alert(\'click\')" style="color:red" class="x">Handler</p>', "Handler"),
    "javascript link": ("[link](javascript:alert('link'))", "link"),
    "javascript mixed case": ('<a href="JaVaScRiPt:alert(1)">mixed</a>', "mixed"),
    "javascript entity": ('<a href="&#106;avascript:alert(1)">entity</a>', "entity"),
    "javascript tab": ('<a href="java&#x09;script:alert(1)">tab</a>', "tab"),
    "javascript newline": ('<a href="jav&#x0A;ascript:alert(1)">newline</a>', "newline"),
    "javascript leading space": ('<a href="  javascript:alert(1)">space</a>', "space"),
    "data url": ("<a href=\"data:text/html,<script>alert('data')</script>\">data</a>", "data"),
    "data markdown": ("[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "d"),
    "vbscript": ('<a href="vbscript:msgbox(1)">vb</a>', "vb"),
    "svg script": ("<svg><script>alert('svg')</script><circle r='5'/></svg>After svg", "After svg"),
    "svg onload": ("<svg onload=\"alert('svgload')\"><rect width='10'/></svg>After", "After"),
    "svg animate href": (
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>t</text></a></svg>X',
        "X",
    ),
    "math mxss": (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>M",
        "M",
    ),
    "math href": ('<math href="javascript:alert(1)"><mi>x</mi></math>N', "N"),
    "noscript mxss": ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>Q', "Q"),
    "nested script split": ("<scr<script>ipt>alert(1)</scr</script>ipt>", None),
    "template": ("<template><img src=x onerror=alert(1)></template>T", "T"),
    "object embed": ('<object data="x.swf"></object><embed src="x.swf">E', "E"),
    "form": ('<form action="https://evil.example/"><input name=q><button>Go</button></form>F', "F"),
    "base and meta": ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=x">B', "B"),
    "link stylesheet": ('<link rel="stylesheet" href="https://evil.example/x.css">L', "L"),
    "comment": ("<!-- <script>alert(1)</script> -->C", "C"),
    "attr_list id": ("## Heading {#search onclick=alert(1) .x}\n\nText", "Text"),
    "formaction": ('<button formaction="javascript:alert(1)">b</button>', "b"),
    "xmp": ("<xmp><script>alert(1)</script></xmp>", None),
    "attribute breakout": ('<a href="https://x.org" title="x"><script>alert(1)</script>">t</a>', "t"),
    "abbr title breakout": ('<abbr title="</abbr><img src=x onerror=alert(1)>">A</abbr>', "A"),
    "details ontoggle": ("<details open ontoggle=alert(1)><summary>S</summary>D</details>", "D"),
    "autofocus input": ("<input autofocus onfocus=alert(1)>I", "I"),
}


@pytest.mark.parametrize("source, expected_text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_markup_is_inert(source: str, expected_text: str | None) -> None:
    html = render_markdown(source)
    assert_inert(html)
    lowered = html.lower()
    for needle in ("<script", "<style", "<iframe", "<svg", "<math", "<img", "<form", "<base", "<meta", "<link"):
        assert needle not in lowered, f"{needle} in {html!r}"
    assert "javascript:" not in lowered.replace("&#x09;", "")
    assert "data:" not in lowered
    if expected_text is not None:
        assert expected_text in "".join(parse(html).text)


def test_script_and_style_content_is_dropped_not_shown() -> None:
    html = render_markdown("Before <script>alert('shown')</script><style>.x{}</style> after.")
    assert "alert" not in html
    assert ".x{}" not in html


def test_news_markup_survives() -> None:
    source = (
        'A **strong** and *emphasised* [link](https://example.org/a?b=1&c=2 "Title").\n\n'
        "> A quote from <cite>the source</cite>.\n\n"
        "## Sub-heading\n\n"
        "- one\n- two\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        'Mail <a href="mailto:editor@example.org">the editor</a>. <abbr title="Committee">CPJ</abbr>'
    )
    html = render_markdown(source)
    tags = [t for t, _ in parse(html).tags]
    for tag in ("strong", "em", "a", "blockquote", "cite", "h2", "ul", "li", "table", "th", "td", "abbr"):
        assert tag in tags, f"<{tag}> was removed from {html!r}"
    links = [attrs for t, attrs in parse(html).tags if t == "a"]
    assert links[0]["href"] == "https://example.org/a?b=1&c=2"
    assert links[0]["title"] == "Title"
    assert links[0]["rel"] == "noopener noreferrer"
    assert any(a.get("href") == "mailto:editor@example.org" for a in links)
    assert_inert(html)


def test_footnotes_keep_their_ids_and_links_but_other_ids_go() -> None:
    html = render_markdown("Claim[^1].\n\n## Head {#lunr}\n\n[^1]: The source.")
    attrs = parse(html).tags
    ids = [a["id"] for _, a in attrs if "id" in a]
    assert sorted(ids) == ["fn:1", "fnref:1"]
    assert any(a.get("href") == "#fn:1" for t, a in attrs if t == "a")


def test_sanitize_html_escapes_text_that_looks_like_markup() -> None:
    html = sanitize_html('<textarea><script>alert(1)</script></textarea>5 < 6 & "quoted"')
    assert "<script" not in html
    assert "5 &lt; 6 &amp;" in html


def test_right_to_left_override_stays_text() -> None:
    html = render_markdown("Report \u202egnp.exe\u202c here")
    assert "\u202e" in html  # shown, not interpreted as markup
    assert_inert(html)
