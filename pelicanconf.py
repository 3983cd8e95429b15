"""Pelican settings for local work. ``publishconf.py`` extends them for deployment."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # the ``digest`` domain package lives at the repo root
    sys.path.insert(0, str(ROOT))

SITENAME = "Central Asia Press Freedom Digest"
SITE_SLUG = "press-freedom-digest"
SITEURL = ""
AUTHOR = "The Digest editors"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["digest_pelican"]

# Titles, summaries and tags come from contributors: templates escape by default. Templates do not change
# during a build, so Jinja need not stat every template file again each time a page includes or imports it.
# Reader-facing strings are marked for gettext (``{{ _("…") }}``, ``{% trans %}``) through Jinja's i18n extension.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
    "extensions": ["jinja2.ext.i18n"],
}

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
# Russian articles are not translations of English ones: same URLs for every language.
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A page's translation (about.ru.md: lang ru, the same slug) is written by the plugin under its language's
# folder (ru/about/), with the rest of that language's pages; Pelican itself writes only the original.
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = ""
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

# Countries and topics replace Pelican's categories; there is no author index.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
# index: the home page; countries/topics: the taxonomy indexes; search: the search page (issue #5);
# notfound: the 404 page, written to 404.html at the root where static hosts look for it.
DIRECT_TEMPLATES = ["index", "countries", "topics", "tags", "archives", "search", "notfound"]
COUNTRIES_URL = "countries/"
COUNTRIES_SAVE_AS = "countries/index.html"
TOPICS_URL = "topics/"
TOPICS_SAVE_AS = "topics/index.html"
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
NOTFOUND_URL = "404.html"
NOTFOUND_SAVE_AS = "404.html"

# The digest's taxonomies (plugins/digest_pelican/taxonomy.py), written like Pelican's categories.
COUNTRY_URL = "countries/{slug}/"
COUNTRY_SAVE_AS = "countries/{slug}/index.html"
TOPIC_URL = "topics/{slug}/"
TOPIC_SAVE_AS = "topics/{slug}/index.html"
COUNTRY_TOPIC_URL = "countries/{country_slug}/{topic_slug}/"
COUNTRY_TOPIC_SAVE_AS = "countries/{country_slug}/{topic_slug}/index.html"

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"country": None, "topic": None, "country_topic": None, "tag": None}
# Page 2 of /countries/kz/ is /countries/kz/page/2/. The offline bundle swaps these for file URLs.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
RELATIVE_URLS = True

# Atom feeds: site-wide, per country and per topic. Set a pattern to None to drop those feeds (and their links).
# A feed reader needs absolute links and ids (digest/feeds.py): a published build's feeds use SITEURL
# (publishconf.py); a local build's use LOCAL_SITEURL, the address `invoke serve` serves output/ on, while
# its pages keep relative links (FEED_DOMAIN "").
FEED_ALL_ATOM = "feeds/all.atom.xml"
COUNTRY_FEED_ATOM = "feeds/countries/{slug}.atom.xml"
TOPIC_FEED_ATOM = "feeds/topics/{slug}.atom.xml"
LOCAL_SITEURL = "http://127.0.0.1:8000"
# The public site's address, where this build has none of its own: the offline bundle sets it (digest/bundle.py) for
# its citations and its pointers to the live feeds. A published build's own SITEURL is absolute and comes first.
LIVE_SITEURL = ""
LIVE_FEED_URL = ""
FEED_MAX_ITEMS = 50  # newest first; a feed reader needs no more, and big feeds slow big builds

# Machine-readable exports for researchers and the sitemap (plugins/digest_pelican/generator.py).
DIGEST_EXPORT_JSON = "data/articles.json"
DIGEST_EXPORT_CSV = "data/articles.csv"
# The same records as a classic script, for the search page's CSV and JSON of its results (works from file://).
DIGEST_EXPORT_SCRIPT = "data/articles.js"
SITEMAP_SAVE_AS = "sitemap.xml"

# Content-Security-Policy, as a <meta> tag on every page. The offline bundle may override it.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
SITESUBTITLE = "Press freedom and human rights news from Central Asia and its neighbours"
INDEX_URL = ""  # the home page's URL; the offline bundle sets "index.html"
HOME_LATEST_COUNT = 8
SUMMARY_MAX_LENGTH = 45
# The repository's web address, for "edit on GitHub"-style links; empty leaves them out.
REPOSITORY_URL = os.environ.get("DIGEST_REPOSITORY_URL", "")
# CONTRIBUTING.md is also published as a page of the site, so the About page can link it, offline too.
CONTRIBUTING_SOURCE = "CONTRIBUTING.md"
CONTRIBUTING_URL = "contributing/"
CONTRIBUTING_SAVE_AS = "contributing/index.html"
# Pages rendered from a theme template alone (Pelican looks in content/ first, then the theme).
TEMPLATE_PAGES = {"robots.txt": "robots.txt", "contributing.html": CONTRIBUTING_SAVE_AS}

FEED_DOMAIN = ""
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
