"""The country and topic vocabularies, read from ``vocabularies/*.yaml``.

The validator, the importer's classifier and the site all go through this module, so a country
or topic added to the YAML appears everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def detection_names(self) -> tuple[str, ...]:
        """Every name whose mention in a text points at this country."""
        return (self.name, *self.aliases, *self.adjectives, *self.demonyms, *self.capitals, *self.cities)


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    description: str


@dataclass(frozen=True)
class Vocabulary:
    countries: dict[str, Country]
    topics: dict[str, Topic]

    def country_name(self, code: str) -> str:
        return self.countries[code].name if code in self.countries else code

    def topic_label(self, slug: str) -> str:
        return self.topics[slug].label if slug in self.topics else slug


def _strings(entry: dict, key: str) -> tuple[str, ...]:
    return tuple(str(v) for v in entry.get(key) or ())


def load_vocabulary(directory: Path = VOCAB_DIR) -> Vocabulary:
    """Read both vocabularies; raise ``ValueError`` naming the file when one is malformed."""
    countries_file = directory / "countries.yaml"
    topics_file = directory / "topics.yaml"
    with countries_file.open(encoding="utf-8") as fh:
        raw_countries = yaml.safe_load(fh)["countries"]
    with topics_file.open(encoding="utf-8") as fh:
        raw_topics = yaml.safe_load(fh)["topics"]

    countries: dict[str, Country] = {}
    for entry in raw_countries:
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
        )

    topics: dict[str, Topic] = {}
    for entry in raw_topics:
        slug = str(entry["slug"])
        if slug in topics:
            raise ValueError(f"{topics_file}: topic {slug} appears twice")
        topics[slug] = Topic(slug=slug, label=str(entry["label"]), description=str(entry["description"]))
    return Vocabulary(countries=countries, topics=topics)


@cache
def vocabulary() -> Vocabulary:
    """The repository's vocabulary, read once per process."""
    return load_vocabulary()
