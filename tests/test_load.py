"""Loading and validation: every rule of issue 2 with its own bad file."""

from __future__ import annotations

import datetime as dt

import pytest

from followup_gen.load import load_crm
from followup_gen.load.schema import slugify

from .conftest import JANE


def problems(root):
    return [p.format() for p in load_crm(root).problems]


def test_happy_path_builds_typed_records(make_crm):
    root = make_crm(
        {
            "contacts/Jane Doe.md": JANE,
            "contacts/bob.md": """
                ---
                id: bob-smith
                name: Bob Smith
                relationship: friend
                cadence: 6w
                tags: [python, data]
                met: 2025-03-01
                address: |
                  1 Main St
                  Springfield
                ---
            """,
            "opportunities/acme.md": """
                ---
                company: Acme
                role: Data Engineer
                contacts: [jane-doe]
                referred_by: bob-smith
                expected_decision: 2026-12-01
                ---
            """,
            "interactions/2026-11-20-interview.md": """
                ---
                date: 2026-11-20 14:30
                contacts: jane-doe
                kind: interview
                opportunity: acme
                specifics:
                  - the migration to Spark
                ---
                Went well.
            """,
        }
    )
    loaded = load_crm(root)
    assert loaded.problems == ()
    crm = loaded.crm
    jane = crm.contacts["jane-doe"]
    assert (jane.name, jane.title, jane.notes) == (
        "Jane Doe",
        "Engineering Manager",
        "Met at the meetup.\n",
    )
    assert jane.source.path == "contacts/Jane Doe.md"
    bob = crm.contacts["bob-smith"]
    assert (bob.cadence, bob.tags, bob.met) == (42, ("python", "data"), dt.date(2025, 3, 1))
    assert bob.address == "1 Main St\nSpringfield"
    assert bob.source.line_of("cadence") == 5
    interview = crm.interactions[0]
    assert (interview.date, interview.time) == (dt.date(2026, 11, 20), dt.time(14, 30))
    assert interview.contacts == ("jane-doe",)
    assert interview.specifics == ("the migration to Spark",)
    assert crm.with_contact("jane-doe") == (interview,)
    assert crm.about("acme") == (interview,)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-11-20", (dt.date(2026, 11, 20), None)),
        ("2026-11-20 14:30", (dt.date(2026, 11, 20), dt.time(14, 30))),
        ("2026-11-20 14:30:00", (dt.date(2026, 11, 20), dt.time(14, 30))),
        ("2026-11-20T14:30:00+01:00", (dt.date(2026, 11, 20), dt.time(14, 30))),
        ('"2026-11-20"', (dt.date(2026, 11, 20), None)),
    ],
)
def test_dates_in_every_form_yaml_gives(make_crm, value, expected):
    root = make_crm(
        {
            "contacts/jane.md": JANE,
            "interactions/x.md": f"---\ndate: {value}\ncontacts: jane\nkind: meeting\n---\n",
        }
    )
    loaded = load_crm(root)
    assert loaded.problems == ()
    (interaction,) = loaded.crm.interactions
    assert (interaction.date, interaction.time) == expected


def test_cadence_forms(make_crm):
    files = {}
    for stem, cadence in [("a", "21d"), ("b", "6w"), ("c", "3m"), ("d", "10"), ("e", "none")]:
        files[f"contacts/{stem}.md"] = (
            f"---\nname: {stem}\nrelationship: friend\ncadence: {cadence}\n---\n"
        )
    contacts = load_crm(make_crm(files)).crm.contacts
    assert [contacts[s].cadence for s in "abcde"] == [21, 42, 90, 10, None]
    assert contacts["e"].cadence_off and not contacts["a"].cadence_off


@pytest.mark.parametrize(
    "rel, content, expected",
    [
        (
            "contacts/broken.md",
            "---\nname: [unclosed\nrelationship: friend\n---\n",
            "contacts/broken.md:3: error: YAML syntax error:",
        ),
        (
            "contacts/plain.md",
            "Just some notes, no front matter.\n",
            "contacts/plain.md:1: error: no YAML front matter",
        ),
        (
            "contacts/unclosed.md",
            "---\nname: X\nrelationship: friend\n",
            "contacts/unclosed.md:1: error: no YAML front matter",
        ),
        (
            "contacts/noname.md",
            "---\nrelationship: friend\n---\n",
            "contacts/noname.md:1: error: a contact needs 'name'; add 'name: ...' [missing-field]",
        ),
        (
            "contacts/emptyname.md",
            "---\nname:\nrelationship: friend\n---\n",
            "contacts/emptyname.md:2: error: 'name' is empty [missing-field]",
        ),
        (
            "contacts/listname.md",
            "---\nname: [a, b]\nrelationship: friend\n---\n",
            "contacts/listname.md:2: error: 'name' must be text, not a list or a mapping [wrong-type]",
        ),
        (
            "contacts/nul.md",
            '---\nname: "Ana\\0Lima"\nrelationship: friend\n---\n',
            "contacts/nul.md:2: error: 'name' holds a control character (U+0000); remove it"
            " [wrong-type]",
        ),
        (
            "contacts/tagged.md",
            "---\nname: X\nrelationship: friend\ntitle: !!timestamp abc\n---\n",
            "contacts/tagged.md:4: error: 'title': abc is not a real date",
        ),
        (
            "contacts/tagged2.md",
            "---\nname: X\nrelationship: friend\ntitle: !!bool maybe\n---\n",
            "contacts/tagged2.md:4: error: 'title': YAML cannot read `maybe` as bool; write the value"
            " in quotes [bad-value]",
        ),
        (
            "contacts/tagged3.md",
            "---\nname: !!int abc\nrelationship: friend\n---\n",
            "contacts/tagged3.md:2: error: 'name': YAML cannot read `abc` as int",
        ),
        (
            "contacts/rel.md",
            "---\nname: X\nrelationship: freind\n---\n",
            "contacts/rel.md:3: error: 'relationship' unknown value 'freind' (did you mean 'friend'?)",
        ),
        (
            "contacts/met.md",
            "---\nname: X\nrelationship: friend\nmet: 2026-02-30\n---\n",
            "contacts/met.md:4: error: 'met': 2026-02-30 is not a real date",
        ),
        (
            "contacts/met2.md",
            "---\nname: X\nrelationship: friend\nmet: last spring\n---\n",
            "contacts/met2.md:4: error: 'met' 'last spring' is not a date; use YYYY-MM-DD",
        ),
        (
            "contacts/flag.md",
            "---\nname: X\nrelationship: friend\ndo_not_contact: maybe\n---\n",
            "contacts/flag.md:4: error: 'do_not_contact' must be true or false [wrong-type]",
        ),
        (
            "contacts/cad.md",
            "---\nname: X\nrelationship: friend\ncadence: often\n---\n",
            "contacts/cad.md:4: error: 'cadence' 'often' is not a cadence",
        ),
        (
            "contacts/badid.md",
            "---\nid: Jane_Doe\nname: X\nrelationship: friend\n---\n",
            "contacts/badid.md:2: error: 'id' 'Jane_Doe' is not a valid id",
        ),
        (
            "contacts/evil.md",
            "---\nname: !!python/object/apply:os.system ['echo pwned']\nrelationship: friend\n---\n",
            "contacts/evil.md:2: error: 'name' uses a YAML tag that is not allowed here",
        ),
        (
            "contacts/latin1.md",
            "---\nname: Jos\xe9\nrelationship: friend\n---\n".encode("latin-1"),
            "contacts/latin1.md:2: error: the file is not UTF-8 text (byte 0xe9)",
        ),
        (
            "contacts/list.md",
            "---\n- a\n- b\n---\n",
            "contacts/list.md:2: error: the front matter must be 'key: value' lines [not-a-mapping]",
        ),
        (
            "contacts/dupkey.md",
            "---\nname: X\nname: Y\nrelationship: friend\n---\n",
            "contacts/dupkey.md:3: error: 'name' is given twice (also on line 2) [duplicate-key]",
        ),
        (
            "interactions/kind.md",
            "---\ndate: 2026-11-20\ncontacts: [jane-doe]\nkind: interveiw\n---\n",
            "interactions/kind.md:4: error: 'kind' unknown value 'interveiw' (did you mean 'interview'?)",
        ),
        (
            "interactions/who.md",
            "---\ndate: 2026-11-20\ncontacts: [jane-do]\nkind: meeting\n---\n",
            "interactions/who.md:3: error: 'contacts' names contact 'jane-do', which has no file "
            "under contacts/ (did you mean 'jane-doe'?) [unknown-contact]",
        ),
        (
            "interactions/opp.md",
            "---\ndate: 2026-11-20\ncontacts: jane-doe\nkind: meeting\nopportunity: acme\n---\n",
            "interactions/opp.md:5: error: 'opportunity' names opportunity 'acme', which has no file"
            " under opportunities/ [unknown-opportunity]",
        ),
        (
            "interactions/date.md",
            "---\ndate: 20/11/2026\ncontacts: jane-doe\nkind: meeting\n---\n",
            "interactions/date.md:2: error: 'date' '20/11/2026' is not a date",
        ),
        (
            "interactions/nodate.md",
            "---\ncontacts: jane-doe\nkind: meeting\n---\n",
            "interactions/nodate.md:1: error: an interaction needs 'date'",
        ),
        (
            "opportunities/o.md",
            "---\ncompany: Acme\nrole: X\nstatus: paused\n---\n",
            "opportunities/o.md:4: error: 'status' unknown value 'paused'",
        ),
        (
            "opportunities/ref.md",
            "---\ncompany: Acme\nrole: X\nreferred_by: bob\n---\n",
            "opportunities/ref.md:4: error: 'referred_by' names contact 'bob'",
        ),
    ],
)
def test_each_error_kind_names_file_line_and_reason(make_crm, rel, content, expected):
    root = make_crm({"contacts/jane-doe.md": JANE, rel: content})
    found = problems(root)
    assert any(p.startswith(expected) for p in found), found
    assert all(":" in p for p in found)


def test_duplicate_id_names_both_files(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/other.md": "---\nid: jane-doe\nname: J\nrelationship: friend\n---\n",
        }
    )
    found = problems(root)
    assert (
        "contacts/jane-doe.md:1: error: contact id 'jane-doe' is also claimed by "
        "contacts/other.md; give one of them another id [duplicate-id]"
    ) in found
    assert (
        "contacts/other.md:2: error: contact id 'jane-doe' is also claimed by "
        "contacts/jane-doe.md; give one of them another id [duplicate-id]"
    ) in found
    assert "jane-doe" not in load_crm(root).crm.contacts


def test_unknown_key_is_a_warning_with_did_you_mean(make_crm):
    root = make_crm({"contacts/jane.md": "---\nname: J\nrelationship: friend\ncompnay: X\n---\n"})
    loaded = load_crm(root)
    assert [p.format() for p in loaded.problems] == [
        "contacts/jane.md:4: warning: unknown key 'compnay' for a contact "
        "(did you mean 'company'?); it is ignored [unknown-key]"
    ]
    assert "jane" in loaded.crm.contacts


def test_bom_is_fine(make_crm):
    root = make_crm({"contacts/jane.md": b"\xef\xbb\xbf---\nname: J\nrelationship: friend\n---\n"})
    assert load_crm(root).problems == ()


def test_all_problems_are_reported_in_one_run(make_crm):
    root = make_crm(
        {
            "contacts/a.md": "---\nname: A\n---\n",
            "contacts/b.md": "no front matter",
            "interactions/c.md": "---\ndate: nope\ncontacts: a\nkind: meeting\n---\n",
        }
    )
    files = {p.file for p in load_crm(root).problems}
    assert files == {"contacts/a.md", "contacts/b.md", "interactions/c.md"}


def test_unsafe_yaml_is_never_executed(make_crm, tmp_path):
    marker = tmp_path / "pwned"
    root = make_crm(
        {
            "contacts/evil.md": (
                f"---\nname: !!python/object/apply:os.system ['touch {marker}']\n"
                "relationship: friend\n---\n"
            )
        }
    )
    load_crm(root)
    assert not marker.exists()


def test_invalid_records_are_left_out_and_references_dropped(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": "---\nname: J\nrelationship: nope\n---\n",
            "interactions/x.md": "---\ndate: 2026-11-20\ncontacts: jane-doe\nkind: meeting\n---\n",
        }
    )
    loaded = load_crm(root)
    # No cascade of unknown-contact errors: one error, one note of what it takes with it.
    assert [p.format() for p in loaded.problems] == [
        "contacts/jane-doe.md: warning: this contact ('jane-doe') has errors: 1 interaction"
        " naming it is left out, until it is fixed [left-out]",
        loaded.problems[1].format(),
    ]
    assert (
        loaded.problems[1]
        .format()
        .startswith(
            "contacts/jane-doe.md:3: error: 'relationship' unknown value 'nope'; one of: family,"
        )
    )
    assert loaded.crm.contacts == {} and loaded.crm.interactions == ()


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Jane Doe", "jane-doe"),
        ("José  Núñez", "jose-nunez"),
        ("2026-11-20 Coffee!", "2026-11-20-coffee"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_yaml_coercions_keep_what_was_typed(make_crm):
    root = make_crm(
        {
            "contacts/no.md": (
                "---\nname: No\nrelationship: Friend\ntitle: 2026-01-01\n"
                "tags: [007, 14:30, yes]\ncadence: off\n---\n"
            ),
            "interactions/x.md": (
                "---\ndate: 2026-11-20\ncontacts: no\nkind: Meeting\nchannel: Email\n"
                "specifics: [yes, 42]\n---\n"
            ),
        }
    )
    loaded = load_crm(root)
    assert loaded.problems == ()
    contact = loaded.crm.contacts["no"]
    assert (contact.name, contact.relationship, contact.title) == ("No", "friend", "2026-01-01")
    assert contact.tags == ("007", "14:30", "yes")
    assert contact.cadence_off
    (interaction,) = loaded.crm.interactions
    assert (interaction.kind, interaction.channel) == ("meeting", "email")
    assert interaction.specifics == ("yes", "42")


def test_a_value_yaml_cannot_read_is_reported_once(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "interactions/x.md": "---\ndate: 2026-02-30\ncontacts: jane-doe\nkind: meeting\n---\n",
        }
    )
    loaded = load_crm(root)
    assert [p.format() for p in loaded.problems] == [
        "interactions/x.md:2: error: 'date': 2026-02-30 is not a real date (day is out of range"
        " for month); use YYYY-MM-DD [bad-date]"
    ]
    assert loaded.crm.interactions == ()
