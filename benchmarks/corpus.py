"""A deterministic, seeded generator of synthetic articles for benchmarks and scale tests.

Real archives are needed at 1,000 to 50,000 articles to measure builds and search, and we do
not have them. This module writes articles that look like the digest's own: about 350 words of
English news prose built from templates, with names, places, outlets and a long tail of rare
words (Zipf-distributed, so the index vocabulary grows the way real text does), valid canonical
front matter (through ``digest.serialize.article_markdown``) over every country and topic of the
vocabulary, dates spread over 15 fixed years, and one article in twenty in Russian.

The same ``(n, seed)`` always gives the same bytes: nothing depends on the clock, the order of a
set or the machine. ``bare_markdown`` writes the same articles in Pelican's native Markdown
metadata (``Title:``/``Date:``/``Tags:``) so that bare Pelican, which cannot read our YAML front
matter, can build the very same corpus for comparison.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from digest.serialize import article_markdown
from digest.vocab import Vocabulary, vocabulary

FIRST_DAY = dt.date(2011, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)  # fixed, in the past: the corpus must not depend on today
RUSSIAN_EVERY = 20  # one article in twenty is Russian (5%)
TARGET_WORDS = 350


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- name material -----------------------------------------------------------------------------

FIRST_NAMES = _words(
    "Aidar Aigerim Akmal Alisher Almaz Asel Aziz Bakyt Bolot Botagoz Dilnoza Dinara Elmira Emil Erlan Farida "
    "Farrukh Gulnara Gulshan Ilkhom Iskander Jamshid Kamila Kanat Lola Madina Makhabat Marat Mirzo Nargiza "
    "Nurlan Oybek Rakhat Ruslan Rustam Saida Sanjar Shahnoza Timur Ulugbek Umida Yerlan Zarina Zhanna Azamat "
    "Bekzod Daniyar Gulzat Khadija Nodira Rukhshona Temirlan Saule Aliya Askar Bolat Dilshod Elnura Makhmud"
)
SURNAME_ROOTS = _words(
    "Abdul Akhmed Alim Amir Bakir Baktybek Berdy Dzhum Ergash Fayzull Gafur Ibrag Ismail Jalil Kadyr Kamal "
    "Karim Khamid Khodzh Kurban Mamat Mirzo Muratbek Nazar Nurmukh Omur Rakhim Rashid Sabyr Sadyk Saparbek "
    "Satyb Seit Shakir Sharip Suleyman Tash Tokhtar Turgun Usman Yusup Zhaksyl Zhumabek Atambay Beishen "
    "Chynybek Dosmukh Esen Ibraim Japar Kasym Kulmat Nurgazy Ormon Sultanbek Tolon Umar Valikh Yrysbek"
)
SURNAME_SUFFIXES = ("ov", "ova", "ev", "eva", "bekov", "uly", "kyzy", "zoda", "iev", "ulu")
PLACE_ROOTS = _words("Ak Kara Kok Sary Kyzyl Tash Ala Bek Shah Nur Jangi Yangi Kum Tuz Suu Bulak Chon Kichi Orto Tokoy")
PLACE_SUFFIXES = ("abad", "kent", "tobe", "say", "bulak", "kol", "tau", "su", "aryk", "kala")

OUTLET_NAMES = tuple(
    dict.fromkeys(
        [
            "Kloop",
            "Azattyk",
            "Radio Ozodi",
            "Vlast.kz",
            "Eurasianet",
            "Fergana",
            "Turkmen.news",
            "Asia-Plus",
            "Kaktus Media",
            "Orda.kz",
            "Temirov Live",
            "Factcheck.kz",
            "Gazeta.uz",
            "Hronika Turkmenistana",
            "Azatlyk Radiosy",
            "Current Time",
            "Ozodlik",
            "Kun.uz",
            "Akipress",
            "Respublika",
            "Jibek Joly",
            "Vecherniy Bishkek",
            "Novaya Gazeta Kazakhstan",
            "April TV",
        ]
    )
)
ORGS = (
    "Committee to Protect Journalists",
    "Reporters Without Borders",
    "Human Rights Watch",
    "Amnesty International",
    "Freedom House",
    "Article 19",
    "International Partnership for Human Rights",
    "Adil Soz",
    "the OSCE Representative on Freedom of the Media",
    "the UN Human Rights Committee",
    "the Norwegian Helsinki Committee",
    "Front Line Defenders",
    "Access Now",
    "the Kazakhstan International Bureau for Human Rights",
    "the Bureau of Democratic Initiatives",
    "Crude Accountability",
)
ROLES = (
    "journalist",
    "reporter",
    "editor",
    "blogger",
    "lawyer",
    "activist",
    "poet",
    "photographer",
    "human rights defender",
    "opposition politician",
    "trade unionist",
    "researcher",
    "civic activist",
    "satirist",
)
CHARGES = (
    "disseminating false information",
    "inciting social discord",
    "high treason",
    "extremism",
    "calls for mass unrest",
    "fraud",
    "insulting the president",
    "illegal border crossing",
    "hooliganism",
    "organising an illegal gathering",
    "defamation",
    "abuse of office",
    "tax evasion",
)
BODIES = (
    "court",
    "prosecutor's office",
    "security service",
    "interior ministry",
    "information ministry",
    "parliament",
    "city administration",
    "election commission",
    "ombudsman",
    "committee for national security",
)
ACTIONS_PAST = (
    "detained",
    "questioned",
    "fined",
    "sentenced",
    "charged",
    "released",
    "searched",
    "summoned",
    "placed under house arrest",
    "banned from leaving the country",
    "acquitted",
    "deported",
)
TOPIC_PHRASES = {
    "media-freedom": ("accreditation rules", "a new media law", "the closure of the outlet", "press licences"),
    "internet-censorship": ("blocked websites", "a VPN ban", "an internet shutdown", "throttled social networks"),
    "surveillance": ("spyware on phones", "wiretapping", "facial recognition cameras", "data retention rules"),
    "political-prosecution": ("the treason case", "extremism charges", "a politically motivated trial"),
    "detention-and-prisons": ("pre-trial detention", "prison conditions", "allegations of torture"),
    "justice-and-courts": ("the appeal hearing", "the verdict", "judicial independence", "a closed trial"),
    "corruption": ("embezzlement of public funds", "a procurement scandal", "offshore accounts"),
    "protest-and-assembly": ("the rally", "dispersal of protesters", "the law on peaceful assembly"),
    "religious-freedom": ("registration of religious communities", "banned religious literature"),
    "migration-and-exile": ("extradition requests", "asylum applications", "transnational repression"),
    "labour-and-trafficking": ("forced labour in the cotton harvest", "unpaid wages", "trafficking networks"),
    "rights-monitoring": ("the annual report", "the press freedom index", "the universal periodic review"),
    "politics-and-governance": ("the snap election", "constitutional amendments", "a government reshuffle"),
}
COMMON_WORDS = _words(
    "the of and to in a that for on with was said by as at from has his her it be have were are an their "
    "which this not but had after who they been its more than would also one two three new year years "
    "government authorities officials police state public law media case court rights people country "
    "national local week month report statement interview information freedom press independent critics "
    "opposition international official according against under since while during before however other "
    "several many some most recent last first second former current further still again already despite "
    "reported described called warned denied confirmed added noted argued claimed urged demanded stated "
    "investigation decision proceedings sentence appeal hearing trial charges evidence testimony witnesses "
    "lawyers relatives colleagues supporters observers diplomats representatives deputies ministers "
    "pressure restrictions criticism concerns allegations violations guarantees obligations commitments "
    "situation environment climate practice pattern campaign crackdown response reaction attention "
    "domestic regional foreign political economic social legal criminal administrative civil judicial"
)
RUSSIAN_FIRST = _words("Айдар Асель Бакыт Болот Динара Эрлан Гульнара Марат Нурлан Руслан Тимур Жанна Азамат Сауле")
RUSSIAN_LAST = _words("Ахмедов Алимова Бакиров Джумаев Ибрагимова Каримов Мамытов Назарова Рахимов Садыков Юсупова")
RUSSIAN_CITIES = _words("Алматы Бишкек Душанбе Ташкент Ашхабад Астана Ош Худжанд Самарканд Караганда Нукус")
RUSSIAN_SENTENCES = (
    "В {city} полиция задержала {role} {person}.",
    "По словам адвоката, {person} обвиняют в распространении ложной информации.",
    "Суд {city} приговорил {role} к {num} годам лишения свободы.",
    "Правозащитники требуют освобождения журналистов и прекращения преследования.",
    "Журналисты независимых изданий сообщают о давлении со стороны властей.",
    "Представители прокуратуры отказались комментировать ситуацию.",
    "Коллеги {person} считают дело политически мотивированным.",
    "Международные организации выразили обеспокоенность свободой слова в регионе.",
    "Ранее сайт издания был заблокирован без решения суда.",
    "Родственники задержанного не получили никакой информации о его местонахождении.",
    "Слово {rare} стало символом кампании в социальных сетях.",
    "Власти заявили, что действовали в рамках закона о {topic}.",
)
RUSSIAN_ROLES = ("журналиста", "блогера", "редактора", "активиста", "правозащитника", "адвоката")
RUSSIAN_TOPICS = ("средствах массовой информации", "экстремизме", "мирных собраниях", "религии", "интернете")
RUSSIAN_TITLES = (
    "В {city} задержан {role_nom} {person}",
    "Суд {city} вынес приговор по делу {person}",
    "Правозащитники требуют освободить {person}",
    "Издание {outlet} сообщает о давлении на {person}",
)
RUSSIAN_ROLE_NOM = ("журналист", "блогер", "редактор", "активист", "правозащитник")

SENTENCES = (
    "{person}, a {role} at {outlet}, was {action} in {place} on {weekday} over a post about {rare}.",
    "The {adj} {body} said the measure concerned {topic_phrase} and was in line with the law.",
    "According to {org}, at least {num} {role}s have been {action} in {country} since {year}.",
    '{person} told {outlet} that the case was "{quote_word}" and that {pronoun} would appeal.',
    "Lawyers for {person} said they had not been allowed to see the case file before the hearing in {place}.",
    "Under Article {article} of the Criminal Code, {charge} carries a sentence of up to {num} years.",
    "The so-called {rare} affair, as local media called it, drew criticism from {org}.",
    "Officials in {capital} did not respond to requests for comment on {topic_phrase} or the {rare} inquiry.",
    "{org} urged the authorities in {country} to drop the charges of {charge} against {person}.",
    "Observers noted that the {rare} provisions had been used against critics at least {num} times.",
    "The {body} in {place} fined {outlet} for publishing material about {topic_phrase}.",
    "Relatives of {person} said {pronoun} had been held in the {rare} facility for {num} days.",
    "In {month} {year}, {person} was {action} after posting about {rare} on social media.",
    "Critics say the law on {topic_phrase} gives the {body} broad powers with little oversight.",
    "A spokesperson for the {adj} {body} described the reports as {quote_word} and {quote_word2}.",
    "The trial of {person} in {place} was closed to the press and to diplomats.",
    "Independent outlets such as {outlet} and {outlet2} have reported similar pressure, including {rare} audits.",
    "{person}, who had written about {topic_phrase} for {outlet}, left {country} in {year}.",
    "The case echoes the prosecution of {person2}, a {role} from {place2}, several years earlier.",
    "Residents of {village} said officials from the {rare} district warned them not to speak to reporters.",
    "Human rights groups counted {num} similar cases in the {region_word} region last year.",
    "The verdict was announced on {weekday}, {rare_lower} supporters gathered outside the {body}.",
)
TITLES = (
    "{adj} court jails {role} {person} over {charge_short}",
    "{outlet} blocked in {country} after report on {rare}",
    "{org_short} condemns {charge_short} case against {person}",
    "{person} {action_title} in {place}",
    "{country}: new rules on {topic_phrase} alarm {outlet}",
    "{adj} {role} {person} faces {charge_short} charges",
    "Authorities in {place} target {outlet} over {rare} coverage",
    "{person} freed after {num} days in detention in {place}",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = _words("January February March April May June July August September October November December")
QUOTE_WORDS = ("absurd", "fabricated", "politically motivated", "baseless", "unprecedented", "lawful", "routine")
PUBLICATIONS = ("The Times of Central Asia", "Human Rights Issues in Eurasia", "Central Asia & South Caucasus Bulletin")
CENTRAL_ASIA_WEIGHT = 12
SUBHEADINGS = ("The Allegations", "Background", "Reactions", "What Comes Next", "The Verdict", "A Pattern")

SYLLABLES = _words(
    "ka ri mo ta zhe ul bek sar dor an tem ol ny vi gu la pe ro ash ir uz kha mir sol ben tur cha lo ven "
    "dro stal quin fer gol mun pra sev tri nor zal kup wen bry dex hal jor"
)


@dataclass(frozen=True)
class Record:
    """One synthetic article, before it is written in either format."""

    slug: str
    fields: dict
    body: str


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


class _Pools:
    """Word pools, built once per seed, each with Zipf weights so a few items are common and most rare."""

    def __init__(self, seed: int, vocab: Vocabulary):
        rng = random.Random(f"pools-{seed}")
        self.vocab = vocab
        self.countries = list(vocab.countries.values())
        self.topics = list(vocab.topics.values())
        self.country_weights = list(
            itertools.accumulate(CENTRAL_ASIA_WEIGHT if c.region == "central-asia" else 1 for c in self.countries)
        )
        surnames = [r + s for r in SURNAME_ROOTS for s in SURNAME_SUFFIXES]
        rng.shuffle(surnames)
        people = [f"{rng.choice(FIRST_NAMES)} {s}" for s in surnames]
        self.people = list(dict.fromkeys(people))
        self.people_cum = _zipf_cum(len(self.people), 0.9)
        villages = [r + s for r in PLACE_ROOTS for s in PLACE_SUFFIXES]
        rng.shuffle(villages)
        self.villages = villages
        self.villages_cum = _zipf_cum(len(villages), 0.8)
        self.outlets_cum = _zipf_cum(len(OUTLET_NAMES), 1.0)
        self.orgs_cum = _zipf_cum(len(ORGS), 1.0)
        rare: set[str] = set()
        words: list[str] = []
        while len(words) < 120000:  # the long tail: most appear once or twice in a 5,000-article corpus
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if len(word) >= 5 and word not in rare:
                rare.add(word)
                words.append(word)
        self.rare = words
        self.rare_cum = _zipf_cum(len(words), 0.8)


@cache
def _pools(seed: int) -> _Pools:
    return _Pools(seed, vocabulary())


def _slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


class _Writer:
    """Builds one article's text from a private RNG."""

    def __init__(self, pools: _Pools, rng: random.Random):
        self.p = pools
        self.rng = rng

    def pick(self, seq, cum=None):
        if cum is None:
            return seq[self.rng.randrange(len(seq))]
        return self.rng.choices(seq, cum_weights=cum)[0]

    def person(self) -> str:
        return self.pick(self.p.people, self.p.people_cum)

    def rare(self) -> str:
        return self.pick(self.p.rare, self.p.rare_cum)

    def outlet(self) -> str:
        return self.pick(OUTLET_NAMES, self.p.outlets_cum)

    def org(self) -> str:
        return self.pick(ORGS, self.p.orgs_cum)

    def place(self, country) -> str:
        names = (*country.capitals, *country.cities)
        if names and self.rng.random() < 0.75:
            return self.pick(names)
        return self.pick(self.p.villages, self.p.villages_cum)

    def slots(self, country, topic, date: dt.date) -> dict[str, str]:
        rng = self.rng
        other = self.pick(self.p.countries)
        adj = country.adjectives[0] if country.adjectives else country.name
        return {
            "person": self.person(),
            "person2": self.person(),
            "role": self.pick(ROLES),
            "outlet": self.outlet(),
            "outlet2": self.outlet(),
            "action": self.pick(ACTIONS_PAST),
            "place": self.place(country),
            "place2": self.place(other),
            "village": self.pick(self.p.villages, self.p.villages_cum),
            "weekday": self.pick(WEEKDAYS),
            "adj": adj,
            "body": self.pick(BODIES),
            "topic_phrase": self.pick(TOPIC_PHRASES.get(topic.slug, (topic.label.lower(),))),
            "org": self.org(),
            "num": str(rng.randint(2, 40)),
            "country": country.name,
            "capital": country.capitals[0] if country.capitals else country.name,
            "year": str(rng.randint(max(FIRST_DAY.year - 5, date.year - 8), date.year)),
            "month": self.pick(MONTHS),
            "quote_word": self.pick(QUOTE_WORDS),
            "quote_word2": self.pick(QUOTE_WORDS),
            "pronoun": self.pick(("he", "she")),
            "article": str(rng.choice((174, 274, 305, 330, 341, 167, 182, 256))),
            "charge": self.pick(CHARGES),
            "rare": self.rare(),
            "rare_lower": self.rare(),
            "region_word": country.region.replace("-", " "),
        }

    def filler(self) -> str:
        words = [self.pick(COMMON_WORDS) for _ in range(self.rng.randint(8, 16))]
        words.insert(self.rng.randrange(len(words)), self.rare())
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def english(self, country, topic, date: dt.date, target: int) -> tuple[str, str, str]:
        rng = self.rng
        title_slots = self.slots(country, topic, date)
        title_slots.update(
            charge_short=self.pick(CHARGES).split(" ")[-1],
            org_short=self.org().removeprefix("the "),
            action_title=self.pick(ACTIONS_PAST).capitalize(),
        )
        title = self.pick(TITLES).format(**title_slots)
        title = title[0].upper() + title[1:]
        paragraphs: list[str] = []
        words = 0
        sentences: list[str] = []
        first = None
        heading_at = rng.randint(2, 4) if rng.random() < 0.3 else -1
        while words < target:
            slots = self.slots(country, topic, date) if rng.random() < 0.5 else title_slots
            sentence = self.pick(SENTENCES).format(**slots) if rng.random() < 0.8 else self.filler()
            sentence = sentence[0].upper() + sentence[1:]
            first = first or sentence
            sentences.append(sentence)
            words += sentence.count(" ") + 1
            if len(sentences) >= rng.randint(3, 5):
                paragraphs.append(" ".join(sentences))
                sentences = []
                if len(paragraphs) == heading_at:
                    paragraphs.append("## " + self.pick(SUBHEADINGS))
        if sentences:
            paragraphs.append(" ".join(sentences))
        # A rare word at the very end of the body: full-text search must find it there too.
        paragraphs[-1] += f" The case file is catalogued under the name {self.rare()}."
        return title, "\n\n".join(paragraphs), first or title

    def russian(self, target: int) -> tuple[str, str, str]:
        rng = self.rng

        def slots() -> dict[str, str]:
            return {
                "city": self.pick(RUSSIAN_CITIES),
                "role": self.pick(RUSSIAN_ROLES),
                "role_nom": self.pick(RUSSIAN_ROLE_NOM),
                "person": f"{self.pick(RUSSIAN_FIRST)} {self.pick(RUSSIAN_LAST)}",
                "num": str(rng.randint(2, 12)),
                "rare": self.rare(),
                "topic": self.pick(RUSSIAN_TOPICS),
                "outlet": self.outlet(),
            }

        title = self.pick(RUSSIAN_TITLES).format(**slots())
        paragraphs: list[str] = []
        words = 0
        while words < target:
            para = " ".join(self.pick(RUSSIAN_SENTENCES).format(**slots()) for _ in range(rng.randint(3, 5)))
            paragraphs.append(para)
            words += para.count(" ") + 1
        first = paragraphs[0].split(". ")[0].rstrip(".") + "."
        return title, "\n\n".join(paragraphs), first


def records(n: int, seed: int = 1) -> list[Record]:
    """The ``n`` articles for ``seed``, in order; unique slugs and titles, all valid."""
    pools = _pools(seed)
    span = (LAST_DAY - FIRST_DAY).days
    out: list[Record] = []
    titles: set[str] = set()
    for i in range(n):
        rng = random.Random(f"{seed}-{i}")
        w = _Writer(pools, rng)
        # Every country and topic appears in the first articles; after that, Central Asia dominates.
        country = pools.countries[i] if i < len(pools.countries) else w.pick(pools.countries, pools.country_weights)
        topic = pools.topics[i % len(pools.topics)] if i < len(pools.topics) else w.pick(pools.topics)
        date = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        russian = i % RUSSIAN_EVERY == RUSSIAN_EVERY // 2
        target = max(200, int(rng.gauss(TARGET_WORDS, 35)))
        for attempt in range(20):
            title, body, first = w.russian(target) if russian else w.english(country, topic, date, target)
            if attempt:
                title = f"{title} ({attempt + 1})"
            if title.casefold() not in titles:
                break
        titles.add(title.casefold())
        countries = [country.code]
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            extra = w.pick(pools.countries, pools.country_weights).code
            if extra not in countries:
                countries.append(extra)
        base = f"{_slugify(country.name)}-{_slugify(topic.slug)}" if russian else _slugify(title)
        slug = f"{base}-{i + 1:05d}"
        tags = list(dict.fromkeys(w.person() if k == 0 else w.pick((w.outlet(), w.org())) for k in range(3)))
        tags = [t.removeprefix("the ") for t in tags[: rng.randint(1, 3)]]
        publication = w.pick(PUBLICATIONS)
        source: dict[str, object] = {"publication": publication}
        if publication == "The Times of Central Asia":
            source["url"] = f"https://timesca.com/{slug}/"
        elif publication == "Central Asia & South Caucasus Bulletin":
            source["issue"] = str(100 + (date - FIRST_DAY).days // 7)
            source["published"] = min(date + dt.timedelta(days=rng.randint(0, 6)), LAST_DAY)
        fields: dict[str, object] = {
            "title": title,
            "date": date,
            "date_precision": "approximate" if rng.random() < 0.2 else None,
            "country": countries,
            "topic": topic.slug,
            "tags": tags,
            "source": source,
            "summary": first[:300].rsplit(" ", 1)[0] + "…" if len(first) > 300 else first,
            "lang": "ru" if russian else None,
            "truncated": True if rng.random() < 0.1 else None,
        }
        if rng.random() < 0.3:
            fields["summary"] = None
        out.append(Record(slug=slug, fields=fields, body=body))
    return out


def generate(n: int, into: Path, seed: int = 1) -> list[Path]:
    """Write ``n`` articles as ``into/<slug>.md`` (canonical front matter); return their paths."""
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    paths = []
    for record in records(n, seed):
        path = into / f"{record.slug}.md"
        path.write_text(article_markdown(record.fields, record.body), encoding="utf-8")
        paths.append(path)
    return paths


def bare_markdown(record: Record, vocab: Vocabulary | None = None) -> str:
    """The same article in Pelican's native Markdown metadata, which bare Pelican reads."""
    vocab = vocab or vocabulary()
    f = record.fields
    lines = [
        f"Title: {f['title']}",
        f"Date: {f['date'].isoformat()}",
        f"Slug: {record.slug}",
        f"Category: {vocab.topic_label(f['topic'])}",
    ]
    if f["tags"]:
        lines.append("Tags: " + ", ".join(t.replace(",", " ") for t in f["tags"]))
    if f.get("lang"):
        lines.append(f"Lang: {f['lang']}")
    if f.get("summary"):
        lines.append(f"Summary: {f['summary']}")
    return "\n".join(lines) + "\n\n" + record.body.strip("\n") + "\n"


def generate_bare(n: int, into: Path, seed: int = 1) -> list[Path]:
    """Write the corpus of ``generate(n, ..., seed)`` in bare Pelican's format."""
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary()
    paths = []
    for record in records(n, seed):
        path = into / f"{record.slug}.md"
        path.write_text(bare_markdown(record, vocab), encoding="utf-8")
        paths.append(path)
    return paths
