"""The job seeker's profile.md: parsed like every other file, problems with lines."""

from __future__ import annotations

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load.profile import Accomplishment, load_profile

from .conftest import ROOT

FULL = """
---
name: Alex Rivera
address: |
  4127 Meridian Avenue N
  Seattle, WA 98103
email: alex@example.com
phone: "+1 206-555-0142"
sign_off: Warm regards,
accomplishments:
  - Cut the nightly batch from 6 hours to 90 minutes.
  - text: Moved 40 pipelines   to Airflow.
    tags: [airflow, platform]
  - text: Spoke at the Data Guild.
    tags: speaking
---
Free notes, ignored.
"""


def formatted(problems):
    return [p.format() for p in problems]


def test_full_profile(make_crm):
    root = make_crm({"profile.md": FULL})
    profile, problems = load_profile(root)
    assert problems == ()
    assert profile.name == "Alex Rivera"
    assert profile.address == "4127 Meridian Avenue N\nSeattle, WA 98103"
    assert profile.email == "alex@example.com"
    assert profile.phone == "+1 206-555-0142"
    assert profile.sign_off == "Warm regards,"
    assert profile.accomplishments == (
        Accomplishment("Cut the nightly batch from 6 hours to 90 minutes."),
        Accomplishment("Moved 40 pipelines to Airflow.", ("airflow", "platform")),
        Accomplishment("Spoke at the Data Guild.", ("speaking",)),
    )
    assert profile.source.path == "profile.md"
    assert profile.source.line_of("accomplishments") == 9


def test_no_profile_is_no_problem(tmp_path):
    assert load_profile(tmp_path) == (None, ())


def test_every_key_is_optional(make_crm):
    profile, problems = load_profile(make_crm({"profile.md": "---\nname: A B\n---\n"}))
    assert problems == ()
    assert (profile.name, profile.address, profile.email, profile.accomplishments) == (
        "A B",
        None,
        None,
        (),
    )


def test_bad_fields_are_reported_with_lines_and_the_rest_is_kept(make_crm):
    root = make_crm(
        {
            "profile.md": """
                ---
                name: [Alex, Rivera]
                email: not-an-email
                sign-off: Cheers,
                phone: "555"
                accomplishments:
                  - text: Did a thing.
                    tag: [x]
                ---
            """
        }
    )
    profile, problems = load_profile(root)
    # The converters are validate.py's: their wording is theirs, file and line are ours.
    assert formatted(problems)[0].startswith("profile.md:2: error: 'name' must be text")
    assert formatted(problems)[0].endswith(" [wrong-type]")
    assert formatted(problems)[1:] == [
        "profile.md:3: warning: 'email' 'not-an-email' does not look like an email address [wrong-type]",
        "profile.md:4: warning: unknown key 'sign-off' for the profile (did you mean 'sign_off'?); it is ignored [unknown-key]",
        "profile.md:6: error: 'accomplishments' item 1 has unknown key 'tag' (did you mean 'tags'?); use 'text' and 'tags' [wrong-type]",
    ]
    assert profile.phone == "555"
    assert profile.name is None and profile.email is None and profile.accomplishments == ()


def test_accomplishment_items_must_be_sentences(make_crm):
    cases = {
        "accomplishments: Did a thing.": "'accomplishments' must be a list: one '- sentence' line per accomplishment",
        "accomplishments:\n  - ok\n  - ''": "'accomplishments' item 2 must be one sentence of text, or 'text: ...' with 'tags: [...]'",
        "accomplishments:\n  - [a, b]": "'accomplishments' item 1 must be one sentence of text, or 'text: ...' with 'tags: [...]'",
        "accomplishments:\n  - {text: ok, tags: [[x]]}": "'accomplishments' item 1: 'tags' must be a list of words",
    }
    for front, message in cases.items():
        root = make_crm({"profile.md": f"---\nname: A\n{front}\n---\n"})
        profile, problems = load_profile(root)
        assert formatted(problems) == [f"profile.md:3: error: {message} [wrong-type]"], front
        assert profile.name == "A"


def test_unreadable_profiles_are_problems_not_tracebacks(make_crm):
    cases = {
        "name: Alex\n": "profile.md:1: error: no YAML front matter: start the file with a line '---', the fields, then another '---' [no-front-matter]",
        "---\nname: Alex\naddress: [unclosed\n---\n": "profile.md:4: error: YAML syntax error: ",
        b"---\nname: Ren\xe9\n---\n": "profile.md:2: error: the file is not UTF-8 text (byte 0xe9); save it as UTF-8 in your editor [not-utf8]",
        "---\nname: !!python/object/apply:os.system [echo hi]\n---\n": "profile.md:2: error: 'name' uses a YAML tag that is not allowed here (could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'); write a plain value instead [unsafe-yaml]",
    }
    for text, expected in cases.items():
        profile, problems = load_profile(make_crm({"profile.md": text}))
        assert len(problems) == 1
        assert problems[0].format().startswith(expected)
        assert profile is None or profile.name is None


def test_the_example_profile_is_clean_and_tagged_like_the_example_data():
    profile, problems = load_profile(ROOT)
    assert problems == ()
    assert profile.name == "Alex Rivera"
    assert 6 <= len(profile.accomplishments) <= 8
    used = set()
    for folder in ("contacts", "opportunities"):
        for path in (ROOT / folder).glob("*.md"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("tags:"):
                    used |= {t.strip() for t in line[5:].strip(" []").split(",")}
    tagged = [a for a in profile.accomplishments if set(a.tags) & used]
    assert len(tagged) >= 5, [a.text for a in profile.accomplishments]


def test_check_reports_the_profile_like_any_file(make_crm):
    root = make_crm({"profile.md": "---\nname: Alex\nsignoff: Best,\naccomplishments: 3\n---\n"})
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert result.stdout == (
        "profile.md:3: warning: unknown key 'signoff' for the profile (did you mean 'sign_off'?);"
        " it is ignored [unknown-key]\n"
        "profile.md:4: error: 'accomplishments' must be a list: one '- sentence' line per"
        " accomplishment [wrong-type]\n"
    )
