"""`new contact`, `new opportunity` and `log`: files that load back, refusals, completion."""

from __future__ import annotations

import os
import stat
import sys
import textwrap

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

from .conftest import JANE


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_new_contact_writes_a_file_that_loads_back(make_crm):
    root = make_crm({"followup.yml": "today: 2026-11-20\n"})
    result = run(
        "new", "contact", "Zoë O'Brien-Ng", "--root", str(root), "-r", "hiring",
        "-c", "no", "-t", "2026-01-01", "--email", "zoe@example.com",
        "--address", "1 Main St\\nSpringfield", "--tag", "yes", "--cadence", "6w",
        "--note", "Met at: the meetup.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{root}/contacts/zoe-o-brien-ng.md\n"
    assert (root / "contacts/zoe-o-brien-ng.md").read_text() == textwrap.dedent(
        """\
        ---
        name: Zoë O'Brien-Ng
        relationship: hiring
        company: 'no'
        title: '2026-01-01'
        email: zoe@example.com
        address: |
          1 Main St
          Springfield
        tags:
        - 'yes'
        cadence: 6w
        met: 2026-11-20
        ---

        Met at: the meetup.
        """
    )
    loaded = load_crm(root)
    assert loaded.problems == ()
    zoe = loaded.crm.contacts["zoe-o-brien-ng"]
    assert (zoe.company, zoe.title, zoe.tags, zoe.cadence) == ("no", "2026-01-01", ("yes",), 42)
    assert zoe.address == "1 Main St\nSpringfield"
    assert zoe.notes == "Met at: the meetup.\n"


def test_new_contact_refuses_an_existing_id_and_suggests_a_free_one(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE, "contacts/jane-doe-2.md": JANE})
    before = snapshot(root)
    result = run("new", "contact", "Jane Doe", "--root", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "followup-gen: contacts/ already has a contact 'jane-doe'; nothing written. "
        "If this is another one, add --id jane-doe-3\n"
    )
    assert snapshot(root) == before
    assert (
        run("new", "contact", "Jane Doe", "--id", "jane-doe-3", "--root", str(root)).exit_code == 0
    )


def test_new_contact_refuses_the_stem_of_a_broken_file(make_crm):
    root = make_crm({"contacts/jane-doe.md": "---\nname: [\n---\n"})
    result = run("new", "contact", "Jane Doe", "--root", str(root))
    assert result.exit_code == 1
    assert "already has a contact 'jane-doe'" in result.stderr


def test_new_contact_bad_values_write_nothing(make_crm):
    root = make_crm({"followup.yml": "today: 2026-11-20\n"})
    before = snapshot(root)
    bad_email = run("new", "contact", "Bob", "--email", "bob", "--root", str(root))
    assert bad_email.exit_code == 1
    assert bad_email.stderr == (
        "followup-gen: 'email' 'bob' does not look like an email address\n"
        "followup-gen: nothing written\n"
    )
    bad_relationship = run("new", "contact", "Bob", "-r", "freind", "--root", str(root))
    assert bad_relationship.exit_code == 2
    assert (
        "Invalid value for '--relationship': unknown value 'freind' (did you mean 'friend'?)"
        in (bad_relationship.stderr)
    )
    bad_id = run("new", "contact", "Bob", "--id", "Bob Smith", "--root", str(root))
    assert bad_id.exit_code == 2
    assert "'Bob Smith' is not a valid id" in bad_id.stderr and "'bob-smith'" in bad_id.stderr
    assert snapshot(root) == before


def test_new_opportunity(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    result = run(
        "new", "opportunity", "Acme Analytics", "Data Engineer", "--contact", "jane-doe",
        "--referred-by", "jane-doe", "--url", "https://acme.example/jobs/1",
        "--expected-decision", "2026-12-01", "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{root}/opportunities/acme-analytics-data-engineer.md\n"
    loaded = load_crm(root)
    assert loaded.problems == ()
    opportunity = loaded.crm.opportunities["acme-analytics-data-engineer"]
    assert opportunity.contacts == ("jane-doe",)
    assert opportunity.referred_by == "jane-doe"
    assert str(opportunity.expected_decision) == "2026-12-01"


def test_new_opportunity_unknown_contact_gets_did_you_mean(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    before = snapshot(root)
    result = run("new", "opportunity", "Acme", "DE", "--contact", "jane-deo", "--root", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        "followup-gen: unknown contact 'jane-deo' (did you mean 'jane-doe'?); nothing written\n"
    )
    assert snapshot(root) == before


def test_log_the_common_case(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE, "followup.yml": "today: 2026-11-20\n"})
    result = run("log", "thank-you", "jane-doe", "--channel", "mail", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{root}/interactions/2026-11-20-thank-you-jane-doe.md\n"
    assert (root / "interactions/2026-11-20-thank-you-jane-doe.md").read_text() == (
        "---\ndate: 2026-11-20\nkind: thank-you\ncontacts: jane-doe\nchannel: mail\n---\n"
    )
    # The same again that day gets its own file, never the first one's.
    again = run("log", "thank-you", "jane-doe", "--root", str(root))
    assert again.stdout == f"{root}/interactions/2026-11-20-thank-you-jane-doe-2.md\n"
    loaded = load_crm(root)
    assert loaded.problems == ()
    assert [i.kind for i in loaded.crm.with_contact("jane-doe")] == ["thank-you", "thank-you"]


def test_log_everything(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/bob.md": "---\nname: Bob\nrelationship: hiring\n---\n",
            "opportunities/acme.md": "---\ncompany: Acme\nrole: DE\n---\n",
        }
    )
    result = run(
        "log", "interview", "jane-doe", "bob", "jane-doe", "--date", "2026-11-19 14:30",
        "-o", "acme", "-c", "video", "-s", "the Kafka migration", "-s", "on-call: 1 week in 6",
        "-n", "Went well.", "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (root / "interactions/2026-11-19-interview-jane-doe.md").read_text()
    assert text == textwrap.dedent(
        """\
        ---
        date: 2026-11-19 14:30
        kind: interview
        contacts:
        - jane-doe
        - bob
        channel: video
        opportunity: acme
        specifics:
        - the Kafka migration
        - 'on-call: 1 week in 6'
        ---

        Went well.
        """
    )
    loaded = load_crm(root)
    assert loaded.problems == ()
    (interview,) = loaded.crm.interactions
    assert (str(interview.date), str(interview.time)) == ("2026-11-19", "14:30:00")
    assert interview.specifics == ("the Kafka migration", "on-call: 1 week in 6")


def test_log_unknown_kind_contact_opportunity_or_channel_writes_nothing(make_crm):
    root = make_crm(
        {"contacts/jane-doe.md": JANE, "opportunities/acme.md": "---\ncompany: A\nrole: B\n---\n"}
    )
    before = snapshot(root)
    kind = run("log", "thank-yu", "jane-doe", "--root", str(root))
    assert kind.exit_code == 2
    assert kind.stderr.endswith(
        "Error: Invalid value for 'KIND': unknown value 'thank-yu' (did you mean 'thank-you'?); "
        "one of: meeting, informational-interview, help, referral, introduction, application, "
        "interview, reply, offer, rejection, accepted, withdrew, thank-you, follow-up, check-in\n"
    )
    contact = run("log", "meeting", "jane-doe", "jane-deo", "--root", str(root))
    assert contact.exit_code == 1
    assert contact.stderr == (
        "followup-gen: unknown contact 'jane-deo' (did you mean 'jane-doe'?); nothing written\n"
    )
    opportunity = run("log", "meeting", "jane-doe", "-o", "acne", "--root", str(root))
    assert opportunity.stderr == (
        "followup-gen: unknown opportunity 'acne' (did you mean 'acme'?); nothing written\n"
    )
    channel = run("log", "meeting", "jane-doe", "-c", "e-mail", "--root", str(root))
    assert channel.exit_code == 2
    assert "unknown value 'e-mail' (did you mean 'email'?)" in channel.stderr
    date = run("log", "meeting", "jane-doe", "--date", "26/11/2026", "--root", str(root))
    assert date.exit_code == 2
    assert snapshot(root) == before


def test_log_a_contact_whose_file_is_broken(make_crm):
    root = make_crm({"contacts/jane-doe.md": "---\nname: Jane\nrelationship: freind\n---\n"})
    result = run("log", "meeting", "jane-doe", "--root", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        "followup-gen: the contact 'jane-doe' has errors; fix its file under contacts/ first "
        "(followup-gen check lists them); nothing written\n"
    )
    assert not any((root / "interactions").iterdir())


def test_edit_opens_the_editor_on_the_new_file(make_crm, tmp_path):
    root = make_crm({"contacts/jane-doe.md": JANE})
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('Edited.\\n')\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": None}
    result = run(
        "log", "meeting", "jane-doe", "--edit", "--date", "2026-11-20", "--root", str(root), env=env
    )
    assert result.exit_code == 0, result.output
    assert (
        (root / "interactions/2026-11-20-meeting-jane-doe.md")
        .read_text()
        .endswith("---\nEdited.\n")
    )


def test_edit_that_breaks_the_file_is_reported(make_crm, tmp_path):
    root = make_crm({"followup.yml": "today: 2026-11-20\n"})
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\np = sys.argv[1]\nt = open(p).read().replace('professional-network', 'freind')\n"
        "open(p, 'w').write(t)\n"
    )
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": None}
    result = run(
        "new", "contact", "Bob", "--met", "2026-11-01", "--edit", "--root", str(root), env=env
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "contacts/bob.md:3: error: 'relationship' unknown value 'freind' (did you mean 'friend'?)"
    )


def complete(args: str, cwd=None):
    """What bash completion offers after ``followup-gen <args>``."""
    words = f"followup-gen {args}"
    env = {
        "_FOLLOWUP_GEN_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="followup-gen")
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_shell_completion_of_commands_kinds_and_ids(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/jake.md": "---\nname: Jake\nrelationship: friend\n---\n",
            "contacts/bob.md": "---\nname: Bob\nrelationship: friend\n---\n",
            "opportunities/acme.md": "---\ncompany: A\nrole: B\n---\n",
        }
    )
    assert "log" in complete("") and "new" in complete("")
    assert complete("log tha") == ["thank-you"]
    assert complete(f"log --root {root} thank-you ja") == ["jake", "jane-doe"]
    assert complete(f"log --root {root} thank-you jane-doe -o a") == ["acme"]
    assert complete("new ") == ["contact", "opportunity"]
    assert complete("new contact X -r fa") == ["family"]
    cwd = os.getcwd()
    try:  # without --root, the ids of the CRM in the current directory
        os.chdir(root)
        assert complete("log meeting b") == ["bob"]
    finally:
        os.chdir(cwd)


def test_log_a_specific_for_one_contact_and_a_portal_application(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/bob.md": "---\nname: Bob\nrelationship: hiring\n---\n",
            "opportunities/acme.md": "---\ncompany: A\nrole: B\n---\n",
        }
    )
    result = run(
        "log", "interview", "jane-doe", "bob", "--date", "2026-11-19", "-o", "acme",
        "-s", "the roadmap", "-s", "jane-doe: on-call load", "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (root / "interactions/2026-11-19-interview-jane-doe.md").read_text()
    assert "specifics:\n- the roadmap\n- jane-doe: on-call load\n---\n" in text
    portal = run("log", "application", "-o", "acme", "--date", "2026-11-01", "--root", str(root))
    assert portal.exit_code == 0, portal.output
    assert portal.stdout.strip().endswith("interactions/2026-11-01-application-acme.md")
    loaded = load_crm(root)
    assert loaded.problems == ()
    application, interview = loaded.crm.interactions
    assert application.contacts == ()
    assert interview.points_for("bob") == ("the roadmap",)
    assert interview.points_for("jane-doe") == ("the roadmap", "on-call load")
    nobody = run("log", "reply", "--root", str(root))
    assert nobody.exit_code == 2
    assert "name at least one contact" in nobody.stderr


def test_log_a_specific_may_name_its_contact_by_the_start_of_the_id(make_crm):
    # As on the command line: 'marcus: ...' is Marcus Bell's, not a point for
    # everyone that puts "marcus:" into Lena's letter.
    root = make_crm(
        {
            "contacts/marcus-bell.md": "---\nname: Marcus Bell\nrelationship: hiring\n---\n",
            "contacts/lena-ortiz.md": "---\nname: Lena Ortiz\nrelationship: hiring\n---\n",
            "contacts/lena-park.md": "---\nname: Lena Park\nrelationship: hiring\n---\n",
        }
    )
    result = run(
        "log", "interview", "marcus", "lena-o", "--date", "2026-11-19",
        "-s", "Marcus: recruiting clinicians", "-s", "lena-o: her refill prototype",
        "-s", "Q3 plans: a new app", "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    loaded = load_crm(root)
    assert loaded.problems == ()
    (interview,) = loaded.crm.interactions
    assert interview.points_for("marcus-bell") == ("Q3 plans: a new app", "recruiting clinicians")
    assert interview.points_for("lena-ortiz") == ("Q3 plans: a new app", "her refill prototype")
    # A start that fits two of the people present is refused, and nothing is written.
    both = run(
        "log", "interview", "lena-ortiz", "lena-park", "--date", "2026-11-20",
        "-s", "lena: the prototype", "--root", str(root),
    )  # fmt: skip
    assert both.exit_code == 2, both.output
    assert "'lena' starts several of this interview's contacts (lena-ortiz, lena-park)" in (
        both.stderr
    )
    assert len(list((root / "interactions").iterdir())) == 1


def test_an_unknown_contact_in_a_crm_with_errors_says_where_to_look(make_crm):
    root = make_crm({"contacts/ann.md": "---\nname: Ann\nrelationship: friend\n---\n"})
    (root / "contacts" / "ann.md").rename(root / "ann.md")
    (root / "contacts").rmdir()
    (root / "contacts").write_text("not a folder\n", encoding="utf-8")
    result = run("log", "check-in", "ann", "--root", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        "followup-gen: unknown contact 'ann'; some files have errors (followup-gen check lists "
        "them); nothing written\n"
    )
