"""The country and topic vocabularies, read from ``vocabularies/*.yaml``.

The validator, the importer's classifier and the site all go through this module, so a country
or topic added to the YAML appears everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from digest import REPO_ROOT

VOCAB_DIR = REPO_ROOT / "vocabularies"


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    region: str
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict, hash=False)  # language code -> name; "ru" always
    iso_numeric: str = ""  # ISO 3166-1 numeric, "398": the map's key into Natural Earth (world-atlas)

    @property
    def detection_names(self) -> tuple[str, ...]:
        """Every name whose mention in a text points at this country."""
        return (self.name, *self.aliases, *self.adjectives, *self.demonyms, *self.capitals, *self.cities)


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    description: str
    names: dict[str, str] = field(default_factory=dict, hash=False)  # language code -> label; "ru" always
    descriptions: dict[str, str] = field(default_factory=dict, hash=False)  # language code -> description


@dataclass(frozen=True)
class Vocabulary:
    countries: dict[str, Country]
    topics: dict[str, Topic]

    def country_name(self, code: str) -> str:
        return self.countries[code].name if code in self.countries else code

    def topic_label(self, slug: str) -> str:
        return self.topics[slug].label if slug in self.topics else slug

    def country_other_names(self, code: str) -> tuple[str, ...]:
        """The country's names in other languages (Russian first), for search."""
        return tuple(self.countries[code].names.values()) if code in self.countries else ()

    def topic_other_labels(self, slug: str) -> tuple[str, ...]:
        """The topic's labels in other languages (Russian first), for search."""
        return tuple(self.topics[slug].names.values()) if slug in self.topics else ()


def _strings(entry: dict, key: str) -> tuple[str, ...]:
    return tuple(str(v) for v in entry.get(key) or ())


def site_languages() -> tuple[str, ...]:
    """The languages the site is shown in besides English: every entry must name itself in each.
    A language is added as data: its catalog in translations/ and its names here (names: {ru: ..., kk: ...})."""
    from digest.i18n import catalog_languages  # digest.i18n reads the vocabulary: imported when needed

    return catalog_languages()


def _entries(path: Path, key: str) -> list[tuple[int, dict]]:
    """The entries of the list ``key`` in a vocabulary file, each with the line it starts on."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    node = yaml.compose(text)
    lines = []
    for k, v in node.value:
        if k.value == key:
            lines = [item.start_mark.line + 1 for item in v.value]
    return list(zip(lines, data[key], strict=True))


def _names(path: Path, line: int, entry: dict, languages: tuple[str, ...], key: str = "names") -> dict[str, str]:
    """An entry's ``names`` (language -> name), checked: a mapping of strings holding every site language."""
    names = entry.get(key) or {}
    if not isinstance(names, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        raise ValueError(f"{path}:{line}: field '{key}' must map language codes to texts, e.g. {key}: {{ru: ...}}")
    for language in languages:
        if not (names.get(language) or "").strip():
            raise ValueError(f"{path}:{line}: field '{key}' has no '{language}' {key[:-1]}")
    return {language: names[language].strip() for language in sorted(names, key=lambda k: (k != "ru", k))}


def _iso_numeric(path: Path, line: int, entry: dict, seen: dict[str, str]) -> str:
    """An entry's ``iso_numeric``, checked: three digits in quotes, used by no other country."""
    value = entry.get("iso_numeric")
    if not isinstance(value, str) or len(value) != 3 or not value.isdigit():
        shown = "missing" if value is None else f"{value} is not three digits in quotes"
        raise ValueError(
            f"{path}:{line}: field 'iso_numeric' {shown}; write the ISO 3166-1 numeric code in quotes, e.g. \"004\""
        )
    if value in seen:
        raise ValueError(f"{path}:{line}: field 'iso_numeric' {value} is also the code of {seen[value]}")
    seen[value] = str(entry.get("code"))
    return value


def load_vocabulary(directory: Path = VOCAB_DIR, languages: tuple[str, ...] | None = None) -> Vocabulary:
    """Read both vocabularies; raise ``ValueError`` naming the file, line and field when one is malformed.
    Every entry must name itself in each of ``languages`` (by default, the site's languages)."""
    languages = ("ru", *site_languages()) if languages is None else languages
    languages = tuple(dict.fromkeys(languages))  # Russian always: search finds countries by their Russian names
    countries_file = directory / "countries.yaml"
    topics_file = directory / "topics.yaml"

    countries: dict[str, Country] = {}
    numeric: dict[str, str] = {}
    for line, entry in _entries(countries_file, "countries"):
        code = entry["code"]
        if not isinstance(code, str) or len(code) != 2 or not code.isupper():
            raise ValueError(f"{countries_file}: country code {code!r} is not a quoted ISO alpha-2 code")
        if code in countries:
            raise ValueError(f"{countries_file}: country code {code} appears twice")
        countries[code] = Country(
            code=code,
            name=str(entry["name"]),
            region=str(entry.get("region", "world")),
            adjectives=_strings(entry, "adjectives"),
            demonyms=_strings(entry, "demonyms"),
            capitals=_strings(entry, "capitals"),
            cities=_strings(entry, "cities"),
            aliases=_strings(entry, "aliases"),
            names=_names(countries_file, line, entry, languages),
            iso_numeric=_iso_numeric(countries_file, line, entry, numeric),
        )

    topics: dict[str, Topic] = {}
    for line, entry in _entries(topics_file, "topics"):
        slug = str(entry["slug"])
        if slug in topics:
            raise ValueError(f"{topics_file}: topic {slug} appears twice")
        topics[slug] = Topic(
            slug=slug,
            label=str(entry["label"]),
            description=str(entry["description"]),
            names=_names(topics_file, line, entry, languages),
            descriptions=_names(topics_file, line, entry, languages, "descriptions"),
        )
    return Vocabulary(countries=countries, topics=topics)


@cache
def vocabulary() -> Vocabulary:
    """The repository's vocabulary (``VOCAB_DIR``), read once per process."""
    return load_vocabulary(VOCAB_DIR)
