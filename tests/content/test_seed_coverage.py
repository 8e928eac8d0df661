"""Every figure and key phrase of the seed text reaches the bundled deck, in its words."""

from __future__ import annotations

from pydantic import BaseModel

from szkiosk.content.text import Text

#: Exact English phrases of the seed text: Shenzhen Government Online's "High-Quality
#: Development" page (updated 2023-10-10), from which the deck was written.
SEED_PHRASES = [
    # innovation chain
    '"basic research + technical research + achievement industrialization + technology finance + talent support"',
    "market-oriented technological innovation system with enterprises as the main body",
    "deep integration of production, education and research",
    "Huawei, BYD, Tencent and DJI",
    # figures
    "Ten local enterprises made it to the 2022 Fortune Global 500 list.",
    "high-level specialized talent community in the Guangdong-Hong Kong-Macao Greater Bay Area",
    "November 1 as Talent Day",
    "talent honor and reward system",
    "The city's R&D expenditure accounted for 5.49% of its total GDP in 2022.",
    "The number of PCT international patent applications ranks first in the country.",
    "The city was home to 23,000 State-level high-tech enterprises in 2022.",
    "no less than 30% of municipal science and technology research and development funds",
    # five actions / forces / places
    "Implement five actions", "Action to consolidate basic research",
    "Action to tackle key core technology difficulties",
    "Action to accelerate the industrialization of R&D results",
    "Action to integrate science, technology and finance", "Action to gather innovative talents",
    "Improve five forces", "Leading innovation power", "Innovative force to face new challenges",
    "Innovation driving force", "Innovation supportive force", "Motive force of innovation",
    "Construct five places", "Place of original innovation", "Place of key core technologies",
    "Best place for industrialization of scientific and technological achievements",
    "Place for integration of science, technology and finance",
    "Gathering place for world-class scientific and technological innovation talents",
    # more than 90%
    "More than 90% of innovative enterprises are local enterprises",
    "More than 90% of R&D personnel are employed by enterprises",
    "More than 90% of employee invention patents come from enterprises",
    "More than 90% of R&D institutions are based in enterprises",
    "More than 90% of R&D funds are contributed by enterprises",
    "More than 90% of major technological invention patents are owned by leading enterprises",
    # industries
    '"four chains" of industry chain, innovation chain, talent chain and education chain',
    "built a modern industrial system for the future",
    "accounts for 41.1% of the city's GDP in 2022",
    "On June 6, 2022, Shenzhen introduced a package of policies",
    "20 strategic emerging industrial clusters and 8 key future industries",
    # reforms
    "make good use of the key moves of the pilot comprehensive reform",
    "a list of 40 authorized measures was unveiled in 2020",
    "On October 14, 2022, the National Development and Reform Commission issued a notice",
    "44 efforts under 18 measures, four categories",
    "encouraged all local authorities nationwide to study and learn from Shenzhen's practices",
    "implemented on August 24, 2020",
    "growth enterprise market (GEM) reform",
    # opening up
    "held in Shenzhen for four consecutive years",
    "More than 300 projects worth 870 billion yuan were inked at the conference in 2022.",
    "China Hi-Tech Fair (CHTF)",
    "China (Shenzhen) International Cultural Industries Fair (ICIF)",
    "International Signs & LED Exhibition (ISLE)",
    "Shenzhen's convention and exhibition industry has prospered.",
    '"expanding the scope of mutual recognition of qualifications in professional services with Hong Kong and Macao"',
    '"creating a new plateau for the innovative development of cross-border medical and health services"',
    'second batch of "Best Practice Cases"',
    # Greater Bay Area and Qianhai
    "As an important engine of the Guangdong-Hong Kong-Macao Greater Bay Area (GBA)",
    "interconnectivity with Hong Kong in terms of infrastructure as well as in policies and standards",
    "Plan for Comprehensively Deepening the Reform and Opening up of the Qianhai Shenzhen-Hong Kong Modern "
    "Service Industry Cooperation Zone",
    "innovative projects tested in the area to more than 765",
    "Relying on Qianhai, the Hetao area and other major strategic platforms",
    "scientific and technological innovation, transportation infrastructure, finance, law, education, "
    "medical care and other fields",
    "help Hong Kong better integrate into the overall national development",
]

#: The friendly-relations sentence, shown by the sister-cities (world map) panel.
SISTER_CITY_PHRASES = [
    "Shenzhen has established friendly relations with 90 provinces and cities in 57 countries",
    "(including 24 sister cities and 66 friendly exchange cities)",
]

#: Numbers of the seed that must be shown (as a figure value or in text).
SEED_NUMBERS = [10, 5.49, 23000, 30, 90, 41.1, 20, 8, 40, 44, 18, 765, 300, 870, 4, 24, 57, 66]


def _walk(value: object, texts: list[str], numbers: list[float]) -> None:
    if isinstance(value, Text):
        texts.extend(value.root.values())
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _walk(getattr(value, name), texts, numbers)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _walk(item, texts, numbers)
    elif isinstance(value, dict):
        for item in value.values():
            _walk(item, texts, numbers)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        numbers.append(float(value))


def _content(deck) -> tuple[str, list[float]]:
    texts: list[str] = []
    numbers: list[float] = []
    for panel in deck.panels:
        _walk(panel, texts, numbers)
    return "\n".join(" ".join(t.split()) for t in texts), numbers


def test_every_seed_phrase_is_on_screen(bundled_deck) -> None:
    text, _ = _content(bundled_deck)
    missing = [p for p in SEED_PHRASES if p not in text]
    assert not missing, "seed phrases missing from the deck:\n" + "\n".join(missing)


def test_friendly_relations_sentence_is_on_screen(bundled_deck) -> None:
    text, _ = _content(bundled_deck)
    missing = [p for p in SISTER_CITY_PHRASES if p not in text]
    assert not missing, "seed phrases missing from the deck:\n" + "\n".join(missing)


def test_every_seed_number_is_shown(bundled_deck) -> None:
    text, numbers = _content(bundled_deck)
    missing = [n for n in SEED_NUMBERS if float(n) not in numbers and f"{n:g}" not in text]
    assert not missing, f"seed numbers missing from the deck: {missing}"


def test_every_text_has_a_chinese_translation(bundled_deck) -> None:
    untranslated: list[str] = []
    for panel in bundled_deck.panels:
        found: list[Text] = []

        def collect(value: object, found: list[Text] = found) -> None:
            if isinstance(value, Text):
                found.append(value)
            elif isinstance(value, BaseModel):
                for name in type(value).model_fields:
                    collect(getattr(value, name))
            elif isinstance(value, (list, tuple)):
                for item in value:
                    collect(item)

        collect(panel)
        untranslated += [f"{panel.id}: {t.get('en')[:50]}" for t in found if not t.root.get("zh", "").strip()]
    assert not untranslated, "\n".join(untranslated)
