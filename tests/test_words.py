"""Words and ids as people type them: everyday words, short ids, unique prefixes, dates."""

from __future__ import annotations

from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm

JANE = "---\nname: Jane Doe\nrelationship: hiring\n---\n"
JANET = "---\nname: Janet Roe\nrelationship: friend\n---\n"
ORBIT = "---\ncompany: Orbit\nrole: Data Engineer\n---\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_everyday_words_get_the_value_they_mean(make_crm):
    root = make_crm(
        {
            "contacts/a.md": "---\nname: A\nrelationship: sister\n---\n",
            "contacts/b.md": "---\nname: B\nrelationship: hirng manager\n---\n",
            "contacts/c.md": "---\nname: C\nrelationship: colleague\n---\n",
        }
    )
    hints = [p.message.split(";")[0] for p in load_crm(root).problems]
    assert hints == [
        "'relationship' unknown value 'sister' (did you mean 'family'?)",
        "'relationship' unknown value 'hirng manager' (did you mean 'hiring'?)",
        "'relationship' unknown value 'colleague' (did you mean 'past-coworker'?)",
    ]
    result = run("new", "contact", "Bo", "--relationship", "mom", "--root", root)
    assert result.exit_code == 2 and "(did you mean 'family'?)" in result.stderr


def test_a_unique_prefix_names_a_contact_or_an_opportunity(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/janet-roe.md": JANET,
            "opportunities/orbit-data-engineer.md": ORBIT,
        }
    )
    result = run(
        "log", "interview", "jane-d", "-o", "orbit", "--date", "2026-12-01", "--root", root
    )
    assert result.exit_code == 0, result.output
    (made,) = load_crm(root).crm.interactions
    assert made.contacts == ("jane-doe",) and made.opportunity == "orbit-data-engineer"
    ambiguous = run("log", "meeting", "jan", "--root", root)
    assert ambiguous.exit_code == 1
    assert ambiguous.stderr == (
        "followup-gen: 'jan' starts several contact ids: jane-doe, janet-roe; type more of it\n"
    )


def test_opportunity_ids_are_short_and_tags_can_be_given(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    role = "Senior Product Manager, Patient Apps"
    first = run("new", "opportunity", "Lumen Health", role, "--tag", "health", "--root", root)
    second = run(
        "new", "opportunity", "Lumen Health", "Senior Product Manager, Care", "--root", root
    )
    assert first.stdout.endswith("opportunities/lumen-health-product-manager.md\n")
    assert second.stdout.endswith("opportunities/lumen-health-product-manager-care.md\n")
    opportunity = load_crm(root).crm.opportunities["lumen-health-product-manager"]
    assert opportunity.tags == ("health",)


def test_a_date_in_another_form_is_refused_with_the_date_meant(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    result = run("log", "meeting", "jane-doe", "--date", "12/18/2026", "--root", root)
    assert result.exit_code == 2
    assert "'12/18/2026' is not a date (did you mean 2026-12-18?): use YYYY-MM-DD" in result.stderr
    assert "%Y" not in result.stderr
    vague = run("due", "--today", "03/04/2026", "--root", root)  # March 4 or April 3?
    assert vague.exit_code == 2
    assert "'03/04/2026' is not a date: use YYYY-MM-DD, e.g. 2026-12-18" in vague.stderr
