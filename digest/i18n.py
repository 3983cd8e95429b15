"""The languages the site is shown in, and what each one's pages need: messages, dates, numbers, URLs.

A language is data, not code: a catalog ``translations/<code>/LC_MESSAGES/messages.po`` (compiled by
the build, in memory: no ``.mo`` is committed) and its names in ``vocabularies/*.yaml``. The default
language (``DEFAULT_LANG``, English) is the templates' own text: it needs no catalog and lives at the
site's root; every other language lives under ``<code>/``, with the same paths, so a page's
counterpart is found by its path alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from digest import REPO_ROOT
from digest.vocab import vocabulary

TRANSLATIONS_DIR = REPO_ROOT / "translations"
DOMAIN = "messages"
INDEX_HTML = "index.html"
# English dates as the site has always written them ("28 February 2026"); every other language takes
# its locale's long form ("28 февраля 2026 г.").
DATE_PATTERNS = {"en": "d MMMM y"}


def N_(message: str) -> str:
    """Marks a message for the catalog where it is translated later, by value (the settings' texts)."""
    return message


# Settings readers see, translated by value on each language's pages (a deployer's own name stays as given).
SETTINGS_MESSAGES = {
    "SITENAME": N_("Central Asia Press Freedom Digest"),
    "SITESUBTITLE": N_("Press freedom and human rights news from Central Asia and its neighbours"),
}


def catalog_path(directory: Path, code: str) -> Path:
    return directory / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages(directory: Path = TRANSLATIONS_DIR) -> tuple[str, ...]:
    """Every language that has a catalog in ``directory``, in code order."""
    if not directory.is_dir():
        return ()
    return tuple(sorted(p.name for p in directory.iterdir() if catalog_path(directory, p.name).is_file()))


def compile_catalog(path: Path) -> Translations:
    """The catalog at ``path`` as gettext translations, compiled in memory (fuzzy messages left out)."""
    with path.open("rb") as po:
        catalog = read_po(po)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


@dataclass
class Language:
    """One language of the site: where its pages live and how they write messages, dates and numbers."""

    code: str
    prefix: str  # "" for the default language, "ru/" for the others: its pages' folder under the site root
    translations: NullTranslations
    _dates: dict = field(default_factory=dict, repr=False)  # formatted once per date and build
    _numbers: dict = field(default_factory=dict, repr=False)
    _names: dict = field(default_factory=dict, repr=False)  # language names in this one: Locale.parse is slow
    _messages: dict = field(default_factory=dict, repr=False)  # each template message, translated and marked safe
    _plain_messages: dict = field(default_factory=dict, repr=False)  # the same, finished, for those with no variables

    @property
    def name(self) -> str:
        """The language's own name, as its link in the switch shows it ("Русский")."""
        return self.language_name(self.code)

    def language_name(self, code: str) -> str:
        """A language's name in this one, as a label: "Russian", "Английский"."""
        label = self._names.get(code)
        if label is None:
            name = Locale.parse(self.code).languages.get(code) or code
            label = self._names[code] = name[:1].upper() + name[1:]
        return label

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def date(self, value: dt.date) -> str:
        """A day as this language writes it: "28 February 2026", "28 февраля 2026 г."."""
        day = value.date() if isinstance(value, dt.datetime) else value
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = format_date(day, DATE_PATTERNS.get(self.code, "long"), locale=self.code)
        return text

    def number(self, n: int) -> str:
        """A count grouped this language's way: 5,000 or 5 000 (a no-break space)."""
        text = self._numbers.get(n)
        if text is None:
            text = self._numbers[n] = format_decimal(n, locale=self.code)
        return text

    def country_name(self, code: str) -> str:
        country = vocabulary().countries.get(code)
        return country.names.get(self.code, country.name) if country else code

    def topic_label(self, slug: str) -> str:
        topic = vocabulary().topics.get(slug)
        return topic.names.get(self.code, topic.label) if topic else slug

    def topic_description(self, slug: str) -> str:
        topic = vocabulary().topics.get(slug)
        return topic.descriptions.get(self.code, topic.description) if topic else ""

    def term_name(self, term) -> str:
        """A country's (``code``), country-and-topic's (``country``, ``topic``) or topic's (``slug``) name."""
        if hasattr(term, "code"):
            return self.country_name(term.code)
        if hasattr(term, "country"):
            names = {"topic": self.term_name(term.topic), "country": self.term_name(term.country)}
            return self.gettext("%(topic)s in %(country)s") % names
        return self.topic_label(term.slug)

    def markup_gettext(self, message: str, /, **variables) -> Markup:
        """``_()`` and ``gettext()`` in an autoescaping template, as the i18n extension's newstyle gettext
        (the translation marked safe, then ``%`` the escaped variables), without its two context calls
        per message: the site's pages look up a hundred messages each."""
        if not variables:  # most messages: their finished text, "%%" already made "%"
            text = self._plain_messages.get(message)
            if text is None:
                text = self._plain_messages[message] = self._message(message) % {}
            return text
        return self._message(message) % variables

    def _message(self, message: str) -> Markup:
        text = self._messages.get(message)
        if text is None:
            text = self._messages[message] = Markup(self.translations.gettext(message))
        return text

    def markup_ngettext(self, singular: str, plural: str, n: int, /, **variables) -> Markup:
        """``ngettext()`` and ``{% trans count=n %}`` in an autoescaping template, as the extension's."""
        variables.setdefault("num", n)
        return Markup(self.translations.ngettext(singular, plural, n)) % variables

    def install(self, env) -> None:
        """Make a Jinja environment write this language: messages, ``format_date``, ``thousands``."""
        if hasattr(env, "install_gettext_translations"):  # Jinja's i18n extension is on
            env.install_gettext_translations(self.translations, newstyle=True)
            if env.autoescape is True:  # the site's templates (pelicanconf): the same text, fewer calls
                env.globals.update(_=self.markup_gettext, gettext=self.markup_gettext, ngettext=self.markup_ngettext)
        env.globals["format_date"] = self.date
        env.globals["language_name"] = self.language_name
        env.filters["thousands"] = self.number


@dataclass(frozen=True)
class LanguageLink:
    """A page's counterpart in one language, for the switch and ``hreflang``."""

    code: str
    name: str
    href: str
    current: bool


class SiteLanguages:
    """Every language of one build, the default first, and the one pages are being written in."""

    def __init__(
        self, default: str = "en", directory: Path = TRANSLATIONS_DIR, siteurl: str = "", file_urls: bool = False
    ) -> None:
        others = [code for code in catalog_languages(directory) if code != default]
        self.languages = [Language(default, "", NullTranslations())] + [
            Language(code, f"{code}/", compile_catalog(catalog_path(directory, code))) for code in others
        ]
        self.current = self.languages[0]
        self.siteurl = siteurl.rstrip("/")  # absolute URLs for hreflang when the site has an address
        self.file_urls = file_urls  # the offline bundle names every page's index.html

    def prefixes(self) -> list[tuple[str, str]]:
        """Each language's code and its pages' folder: ``[("en", ""), ("ru", "ru/")]``."""
        return [(language.code, language.prefix) for language in self.languages]

    @classmethod
    def from_settings(cls, settings: Mapping) -> SiteLanguages:
        """The build's languages: one per catalog in ``DIGEST_TRANSLATIONS`` (default: translations/)."""
        directory = Path(settings.get("DIGEST_TRANSLATIONS") or TRANSLATIONS_DIR)
        return cls(
            settings.get("DEFAULT_LANG") or "en",
            directory if directory.is_absolute() else REPO_ROOT / directory,
            "" if settings.get("RELATIVE_URLS") else settings.get("SITEURL") or "",
            file_urls=str(settings.get("INDEX_URL") or "").endswith(INDEX_HTML),  # the offline bundle's file URLs
        )

    @contextlib.contextmanager
    def writing(self, language: Language, context: MutableMapping, envs: list) -> Iterator[None]:
        """While pages are written in ``language``: its values in the shared ``context``, its messages,
        dates and numbers on the Jinja ``envs``, and term names in it; the default's again after."""
        overrides = self.context_overrides(context, language)
        saved = {key: context[key] for key in overrides if key in context}
        context.update(overrides)
        self.current = language
        for env in envs:
            language.install(env)
        try:
            yield
        finally:
            for key in overrides:
                context.pop(key, None)
            context.update(saved)
            self.current = self.default
            for env in envs:
                self.default.install(env)

    @property
    def default(self) -> Language:
        return self.languages[0]

    @property
    def others(self) -> list[Language]:
        return self.languages[1:]

    def page_path(self, output_file: str) -> str:
        """The URL path of a page saved as ``output_file`` (relative to its language's root)."""
        if self.file_urls or not (output_file == INDEX_HTML or output_file.endswith("/" + INDEX_HTML)):
            return output_file
        return output_file[: -len(INDEX_HTML)]

    def links(self, output_file: str, siteurl: str) -> list[LanguageLink]:
        """The page ``output_file`` in every language, from the current language's pages (whose root is
        ``siteurl``): absolute when the site has an address, else relative."""
        path = self.page_path(output_file or "")
        up = "../" if self.current.prefix else ""
        links = []
        for language in self.languages:
            if self.siteurl:
                href = f"{self.siteurl}/{language.prefix}{path}"
            elif language is self.current:
                href = f"{siteurl}/{path}"
            else:
                href = f"{siteurl}/{up}{language.prefix}{path}"
            links.append(LanguageLink(language.code, language.name, href, language is self.current))
        return links

    def context_overrides(self, context: Mapping, language: Language) -> dict:
        """What differs in the shared template context while ``language``'s pages are written.

        Its pages are written under ``<code>/``, so SITEURL is that folder; what exists once for every
        language (the theme's files, the search index, the data exports) is reached one folder up.
        """
        up = "../"
        overrides: dict = {
            "DEFAULT_LANG": language.code,
            "SITEURL": f"{context.get('SITEURL') or ''}/{language.code}",
            "THEME_STATIC_DIR": up + str(context.get("THEME_STATIC_DIR", "theme")),
        }
        for key in SETTINGS_MESSAGES:
            if context.get(key):
                overrides[key] = language.gettext(context[key])
        if context.get("FEED_DOMAIN"):
            overrides["FEED_DOMAIN"] = f"{context['FEED_DOMAIN']}/{language.code}"
        for key in ("DIGEST_EXPORT_JSON", "DIGEST_EXPORT_CSV", "DIGEST_EXPORT_SCRIPT"):
            if context.get(key):
                overrides[key] = up + context[key]
        if context.get("search_scripts"):
            overrides["search_scripts"] = [up + script for script in context["search_scripts"]]
        if context.get("search_facets"):
            overrides["search_facets"] = translated_facets(context["search_facets"], language)
        return overrides


def translated_facets(facets: Mapping, language: Language) -> dict:
    """The search page's filter menus with country and topic names in ``language``, in its order."""
    countries = sorted(((c, language.country_name(c), n) for c, _name, n in facets["countries"]), key=lambda t: t[1])
    topics = sorted(((t, language.topic_label(t), n) for t, _label, n in facets["topics"]), key=lambda t: t[1])
    return {**facets, "countries": countries, "topics": topics}


def sitemap_alternates(pages: Iterable[str], languages: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """For each page (a path under the output root), its versions as (language code, path), when there
    is more than one. ``languages`` are (code, prefix) pairs, the default (prefix "") first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    prefixes = [(code, prefix) for code, prefix in languages if prefix]
    keyed = []
    for page in pages:
        code, key = next(((c, page[len(p) :]) for c, p in prefixes if page.startswith(p)), (languages[0][0], page))
        groups.setdefault(key, []).append((code, page))
        keyed.append((page, key))
    return {page: groups[key] for page, key in keyed if len(groups[key]) > 1}
