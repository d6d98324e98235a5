"""`followup-gen check` through Click's runner: exact output and exit codes."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from followup_gen.cli import main

from .conftest import JANE, ROOT


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_clean_crm(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    result = run("check", "--root", str(root))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "OK: 1 contact, 0 opportunities, 0 interactions\n"


def test_check_broken_crm_lists_every_problem_and_exits_1(make_crm):
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/bad.md": "---\nname: B\nrelationship: freind\n---\n",
            "interactions/x.md": "---\ndate: 2026-11-20\ncontacts: jane-do\nkind: meeting\n---\n",
        }
    )
    result = run("check", "--root", str(root))
    assert result.exit_code == 1
    assert result.stdout == (
        "contacts/bad.md:3: error: 'relationship' unknown value 'freind' (did you mean 'friend'?);"
        " one of: family, friend, neighbor, past-coworker, past-employer, past-vendor, past-client,"
        " personal-network, professional-network, job-fair, association, hiring,"
        " informational-interview, recruiter, reference [unknown-value]\n"
        "interactions/x.md:3: error: 'contacts' names contact 'jane-do', which has no file under"
        " contacts/ (did you mean 'jane-doe'?) [unknown-contact]\n"
    )
    assert (
        result.stderr
        == "2 errors, 0 warnings in 2 files (1 contact, 0 opportunities, 0 interactions valid)\n"
    )


def test_warnings_pass_unless_strict(make_crm):
    root = make_crm({"contacts/j.md": "---\nname: J\nrelationship: friend\nnickname: JJ\n---\n"})
    assert run("check", "--root", str(root)).exit_code == 0
    assert run("check", "--root", str(root), "--strict").exit_code == 1


def test_usage_errors_exit_2(tmp_path):
    assert run("check", "--root", str(tmp_path / "missing")).exit_code == 2
    assert run("check", "--bogus").exit_code == 2


def test_root_without_mkdocs_yml_works(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE})
    assert not (root / "mkdocs.yml").exists()
    assert run("check", "--root", str(root)).exit_code == 0


def test_check_never_writes_to_the_data_folders(make_crm):
    root = make_crm({"contacts/jane-doe.md": JANE, "contacts/bad.md": "oops"})
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    run("check", "--root", str(root))
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before


def test_example_crm_is_valid():
    result = run("check", "--root", str(ROOT))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_python_dash_m_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "followup_gen", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.startswith("followup-gen, version ")


def test_a_data_folder_that_is_a_file_or_a_dead_link_is_an_error(make_crm):
    # "OK: 0 contacts" used to be the answer, from the cache too.
    root = make_crm({"opportunities/acme.md": "---\ncompany: A\nrole: B\n---\n"})
    for folder in ("contacts", "interactions"):
        if (root / folder).is_dir():
            (root / folder).rmdir()
    assert run("check", "--root", str(root)).exit_code == 0  # remembered: no contacts/ here
    (root / "contacts").write_text("not a folder\n", encoding="utf-8")
    (root / "interactions").symlink_to(root / "unmounted-drive")
    result = run("check", "--root", str(root))
    assert result.exit_code == 1
    assert result.stdout == (
        "contacts: error: this is not a folder (a file, or a link to something missing): no "
        "contact can be read from it; make it a folder, or move it away [unreadable]\n"
        "interactions: error: this is not a folder (a file, or a link to something missing): "
        "no interaction can be read from it; make it a folder, or move it away [unreadable]\n"
    )


def test_check_lists_the_rules_warnings_as_the_site_and_a_strict_build_do(make_crm):
    # The Problems page and a strict build counted "no specifics" while
    # check said OK: a pre-commit check passed and the publishing build failed.
    root = make_crm(
        {
            "contacts/jane-doe.md": JANE,
            "interactions/iv.md": "---\ndate: 2026-11-19\nkind: interview\ncontacts: jane-doe\n---\n",
        }
    )
    result = run("check", "--root", str(root), "--today", "2026-11-20")
    assert result.exit_code == 0
    assert "interactions/iv.md:3: warning: this interview has no 'specifics'" in result.stdout
    assert result.stderr.startswith("0 errors, 1 warning in 1 file")
    assert run("check", "--root", str(root), "--today", "2026-11-20", "--strict").exit_code == 1
    # Once the thank-you is sent, there is nothing to warn of.
    (root / "interactions" / "ty.md").write_text(
        "---\ndate: 2026-11-20\nkind: thank-you\ncontacts: jane-doe\n---\n", encoding="utf-8"
    )
    sent = run("check", "--root", str(root), "--today", "2026-11-20", "--strict")
    assert (sent.exit_code, sent.stdout) == (0, "")
