"""The editor's word on a run's labels, and what happens to an article whose labels the classifier is unsure of.

For a source without a listing format (a feed, a saved page), ``run.describe`` notes each doubt
(``classify.country_doubt``, ``classify.topic_doubt``). Here the editor's ``--country`` / ``--topic``
replace the classifier's labels; a doubt they do not settle either marks the article for review
(``--review``: ``review: true``, left out of the site) or stops the run with the question to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from digest.importer.model import ImportFailure, quoted
from digest.problems import Problem
from digest.vocab import Vocabulary

if TYPE_CHECKING:
    from digest.importer.run import Planned


@dataclass
class Labels:
    """What the editor says for the whole run: the countries and topic, and whether an article whose
    labels the classifier is not sure of is written marked for review (``review: true``) rather than refused."""

    countries: tuple[str, ...] = ()
    topic: str | None = None
    review: bool = False

    def problems(self, vocab: Vocabulary) -> list[Problem]:
        found = [
            Problem("--country", None, None, f"{quoted(code)} is not a country code of vocabularies/countries.yaml")
            for code in self.countries
            if code not in vocab.countries
        ]
        if self.topic is not None and self.topic not in vocab.topics:
            found.append(
                Problem(
                    "--topic",
                    None,
                    None,
                    f"{quoted(self.topic)} is not a topic; valid topics: {', '.join(vocab.topics)}",
                )
            )
        return found


def apply_labels(planned: list[Planned], labels: Labels) -> None:
    """The editor's labels replace the classifier's; an article the classifier is still unsure of is
    marked for review with ``--review`` and otherwise stops the run with the question to answer."""
    problems: list[Problem] = []
    for item in planned:
        if labels.countries:
            item.fields["country"] = list(labels.countries)
            item.explain.append(f"  countries: {', '.join(labels.countries)} (given with --country)")
        if labels.topic:
            item.fields["topic"] = labels.topic
            item.explain.append(f"  topic: {labels.topic} (given with --topic)")
        open_doubts = [
            (name, why) for name, why in item.doubts if not (labels.countries if name == "country" else labels.topic)
        ]
        if not open_doubts:
            continue
        if labels.review and item.fields["country"]:
            item.fields["review"] = True
            item.explain.append("  review: true (written for an editor to check; not published until then)")
            continue
        review = " or import with --review to write the article marked for review" if item.fields["country"] else ""
        for name, why in open_doubts:
            problems.append(
                Problem(
                    item.page,
                    item.raw.title_line,
                    name,
                    f"{quoted(item.raw.title)}: the importer is not sure of the {name}: {why}; give it with --{name}{review}",
                )
            )
    if problems:
        raise ImportFailure(problems)
