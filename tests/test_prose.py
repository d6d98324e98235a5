"""The words letters are made of: names, dates, lists, accomplishments, talking points."""

from __future__ import annotations

import datetime as dt

import pytest

from followup_gen.outputs.prose import (
    When,
    achievement,
    join,
    period,
    person_name,
    rank_points,
    tie,
    topic,
)

TODAY = dt.date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("name", "first", "formal", "written"),
    [
        ("Jane Doe", "Jane", "Jane Doe", "Jane Doe"),
        ("Dr. Ana María López", "Ana", "Dr. Ana María López", "Dr. Ana María López"),
        ("Prof Wei Zhang", "Wei", "Prof Wei Zhang", "Prof Wei Zhang"),
        ("Mrs. Karen Wu", "Karen", "Mrs. Karen Wu", "Mrs. Karen Wu"),
        ("Smith, John", "John", "John Smith", "John Smith"),
        ("van der Berg, Anna", "Anna", "Anna van der Berg", "Anna van der Berg"),
        ("Smith Jr., John", "John", "John Smith Jr.", "John Smith Jr."),
        ("John Smith, Jr.", "John", "John Smith Jr.", "John Smith Jr."),
        ("Martin Luther King III", "Martin", "Martin Luther King III", "Martin Luther King III"),
        ("Robert Hale Sr.", "Robert", "Robert Hale Sr.", "Robert Hale Sr."),
        (
            "Rashmi Nayak, MSc, MBA, PHR",
            "Rashmi",
            "Rashmi Nayak",
            "Rashmi Nayak, MSc, MBA, PHR",
        ),
        ("Prof. Wei Zhang, PhD", "Wei", "Prof. Wei Zhang", "Prof. Wei Zhang, PhD"),
        ("Cher", "Cher", "Cher", "Cher"),
        ("Dr. Patel", None, "Dr. Patel", "Dr. Patel"),
        ("Siobhán O'Connor-Ng", "Siobhán", "Siobhán O'Connor-Ng", "Siobhán O'Connor-Ng"),
        ("D'Arcy Lee", "D'Arcy", "D'Arcy Lee", "D'Arcy Lee"),
        ("J. Robert Smith", "Robert", "J. Robert Smith", "J. Robert Smith"),
        ("J.R. Smith", None, "J.R. Smith", "J.R. Smith"),
        ("  Jane   Doe ", "Jane", "Jane Doe", "Jane Doe"),
    ],
)
def test_person_name_finds_the_given_name(name, first, formal, written):
    found = person_name(name)
    assert (found.first, found.formal, found.written) == (first, formal, written)


def test_dates_read_naturally_and_keep_the_comma_after_a_year():
    assert str(When(TODAY, TODAY)) == "today"
    assert str(When(dt.date(2026, 11, 19), TODAY)) == "yesterday"
    assert str(When(dt.date(2026, 11, 16), TODAY)) == "on Monday"
    assert str(When(dt.date(2026, 11, 10), TODAY)) == "on November 10, 2026,"
    assert When(dt.date(2026, 11, 10), TODAY).end == "on November 10, 2026"
    assert When(dt.date(2026, 11, 19), TODAY).possessive == "yesterday's"
    assert When(dt.date(2026, 11, 17), TODAY).possessive == "Tuesday's"
    assert When(dt.date(2026, 11, 2), TODAY).possessive == "the November 2"


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (dt.date(2026, 11, 19), "yesterday"),
        (dt.date(2026, 11, 17), "on Tuesday"),
        (dt.date(2026, 11, 10), "last week"),
        (dt.date(2026, 11, 3), "earlier this month"),
        (dt.date(2026, 10, 3), "last month"),
        (dt.date(2026, 8, 3), "in August"),
        (dt.date(2026, 1, 3), "in January"),
        (dt.date(2025, 12, 3), "in December last year"),
        (dt.date(2024, 12, 3), "a long time ago"),
    ],
)
def test_period_says_how_long_ago(day, said):
    assert period(day, TODAY) == said


def test_join_writes_a_list_as_english():
    assert join([]) == ""
    assert join(["tea"]) == "tea"
    assert join(["tea", "cake"]) == "tea and cake"  # no comma before "and" with two
    assert join(["tea", "cake", "jam"]) == "tea, cake, and jam"
    assert join(["a", "b"], "or") == "a or b"


@pytest.mark.parametrize(
    ("text", "sentence", "plain"),
    [
        (
            "Led the lakehouse migration, cutting cost by 40%.",
            "I led the lakehouse migration, cutting cost by 40%.",
            "I led the lakehouse migration, cutting cost by 40%.",
        ),
        ("Cut the nightly batch window", "I cut the nightly batch window.", None),
        ("Reduced pager noise by 80%", "I reduced pager noise by 80%.", None),
        ("Co-led the dbt rollout.", "I co-led the dbt rollout.", None),
        ("I mentored four engineers.", "I mentored four engineers.", None),
        ("Our team shipped the app.", "Our team shipped the app.", None),
        (
            "Certified AWS Data Engineer (2025)",
            "I would point to one result in particular: “Certified AWS Data Engineer (2025).”",
            "“Certified AWS Data Engineer (2025).”",
        ),
        (
            "Speaker at PyData Seattle",
            "I would point to one result in particular: “Speaker at PyData Seattle.”",
            "“Speaker at PyData Seattle.”",
        ),
        (
            "Need-based scheduler for 40 clinics",
            "I would point to one result in particular: “Need-based scheduler for 40 clinics.”",
            None,
        ),
    ],
)
def test_an_accomplishment_becomes_a_first_person_sentence_or_a_quote(text, sentence, plain):
    done = achievement(text)
    assert done.sentence == sentence
    if plain is not None:
        assert done.plain == plain
    assert done.also.endswith((".", ".”"))


def test_also_adds_a_second_accomplishment():
    assert achievement("Built a Kafka pipeline").also == "I also built a Kafka pipeline."
    assert achievement("AWS certified").also == "I would also point to this one: “AWS certified.”"


@pytest.mark.parametrize(
    ("point", "said"),
    [
        (
            "Rachel's concern about on-call load",
            "your concern about on-call load",
        ),
        (
            "David's system design question: late-arriving events",
            "David's system design question about late-arriving events",
        ),
        ("Rachel asked about pager noise.", "your question about pager noise"),
        ("Late events and exactly-once delivery", "late events and exactly-once delivery"),
        ("Replacing nightly batch loads", "replacing nightly batch loads"),
        ("The Northwind migration", "the Northwind migration"),
        ("Kafka Connect versus Flink", "Kafka Connect versus Flink"),
        ("McKinsey's data review", "McKinsey's data review"),
    ],
)
def test_a_talking_point_is_written_to_the_person(point, said):
    assert topic(point, ["Rachel", "Rachel Kim"]) == said


@pytest.mark.parametrize(
    ("point", "said"),
    [
        # Every letter writes a point after "about" or "with": it must be a
        # noun phrase ("our conversation about you asked about..." was sent).
        (
            "Rachel asked how the team pages on-call",
            "your question about how the team pages on-call",
        ),
        ("David asked about late events", "David's question about late events"),
        ("she wondered whether we use dbt", "her question about whether we use dbt"),
        ("Rachel worried about hiring", "your concern about hiring"),
        ("David mentioned a new office in Austin", "a new office in Austin"),
        ("Rachel walked me through their lakehouse", "their lakehouse"),
        ("they said that the budget is frozen", "how the budget is frozen"),
        ("the team is rebuilding its patient app", "how the team is rebuilding its patient app"),
        ("They're moving to Kafka", "how they're moving to Kafka"),
        # Noun phrases stay as they are, a verb inside a clause of their own too.
        ("why Postgres is slow", "why Postgres is slow"),
        ("a team that has grown fast", "a team that has grown fast"),
        ("the Q3 plans", "the Q3 plans"),
        # A capital "The" is not someone who shared or suggested something.
        ("The shared roadmap", "the shared roadmap"),
        ("The suggested reading list", "the suggested reading list"),
        ("Their asked-for headcount", "their asked-for headcount"),
        ("hiring needs for 2027", "hiring needs for 2027"),
        # Notes as people type them ("our conversation about I's question about...",
        # "...about how do they measure success?." and "...about Discussed the
        # onboarding flow." were drafted).
        ("I asked about the team's roadmap", "my question about the team's roadmap"),
        ("I am moving to Austin in May", "how I am moving to Austin in May"),
        ("how do they measure success?", "how they measure success"),
        ("What do you look for in a designer?", "what you look for in a designer"),
        ("How does she run design critiques?", "how she runs design critiques"),
        ("Are they hiring juniors?", "whether they are hiring juniors"),
        ("Do you sponsor visas?", "whether you sponsor visas"),
        ("Rachel asked how do we page on-call?", "your question about how we page on-call"),
        ("what's next for the team?", "what's next for the team"),
        ("Kafka vs. Pulsar!", "Kafka vs. Pulsar"),
        ("The move to Austin;", "the move to Austin"),
        ("the budget for 2027...", "the budget for 2027"),
        ("There is a new VP of design", "how there is a new VP of design"),
        ("they want someone senior", "how they want someone senior"),
        ("David said they use Figma", "how they use Figma"),
        ("Discussed the onboarding flow", "the onboarding flow"),
        ("talked about accessibility audits", "accessibility audits"),
        ("We went over my portfolio", "my portfolio"),
        # "I especially appreciated Ruth reviewed my portfolio" was drafted to Ruth.
        ("Rachel reviewed my portfolio", "how you reviewed my portfolio"),
        ("David reviewed my portfolio", "how David reviewed my portfolio"),
        ("Costs dropped by half", "how costs dropped by half"),
        (
            "Rachel suggested I join the SQL study group",
            "your suggestion that I join the SQL study group",
        ),
        ("she recommended a book on research ops", "her recommendation of a book on research ops"),
    ],
)
def test_a_talking_point_that_is_a_sentence_becomes_a_phrase(point, said):
    assert topic(point, ["Rachel", "Rachel Kim"]) == said


def test_points_naming_them_come_first_then_those_you_can_speak_to():
    points = [
        "David's question about late events",
        "Cost of the warehouse",
        "Rachel's concern about on-call load",
        "Streaming ingestion",
    ]
    ranked = rank_points(points, yours=["Rachel"], others=["David"], interests=["streaming"])
    assert ranked == (
        "Rachel's concern about on-call load",
        "Streaming ingestion",
        "Cost of the warehouse",
        "David's question about late events",
    )
    # What your experience speaks to comes before what names someone else.
    ranked = rank_points(points, yours=["Rachel"], others=["David"], interests=["late events"])
    assert ranked[:2] == (
        "Rachel's concern about on-call load",
        "David's question about late events",
    )


def test_tie_finds_the_accomplishment_that_answers_a_point():
    done = [
        achievement("Mentored four engineers."),
        achievement("Brought on-call pages down from 30 a week to 4.", ["reliability"]),
        achievement("Built a Kafka pipeline.", ["streaming"]),
    ]
    assert tie(["your concern about on-call load"], done) == (0, 1)
    assert tie(["the budget", "moving batch jobs to streaming"], done) == (1, 2)
    assert tie(["the office coffee"], done) is None
