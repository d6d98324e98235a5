"""The generated pages: content from small CRMs, golden files, escaping, overrides.

Golden files live in tests/golden/; after an intended change of output run
``pytest tests/test_pages.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import markdown
import pytest

from followup_gen.load import load_crm
from followup_gen.outputs.templates import environment, escape_markdown
from followup_gen.rules.evaluate import evaluate
from followup_gen.rules.followup import Bridge, Evaluation, FollowUp, Pipeline, Stalled
from followup_gen.site import standalone
from followup_gen.site.pages import PageMemo, contact_path, generate, nav, pages, safe_url

GOLDEN = Path(__file__).parent / "golden"
# The span each icon is on a page (drawn by the plugin's icons.css).
ICON = {
    name: f'<span class="twemoji fg-i fg-i-{name} fg-{name}"></span>'
    for name in ("due", "interviewing", "bridge", "stalled")
}
TODAY = dt.date(2026, 11, 20)

SMALL = {
    "followup.yml": "today: 2026-11-20\n",
    "contacts/jane-doe.md": """
        ---
        name: Jane Doe
        relationship: hiring
        company: Acme
        title: Engineering Manager
        email: jane@acme.example
        linkedin: https://www.linkedin.com/in/jane-doe
        address: |
          Jane Doe
          Acme Inc.
          1 Main St
          Springfield
        tags: [python]
        ---
        Met at the **PyData** meetup; see [her talk](https://example.com/talk).
        """,
    "contacts/bob-stone.md": """
        ---
        name: Bob Stone
        relationship: past-coworker
        company: Initech
        cadence: 30d
        ---
        """,
    "opportunities/acme-data.md": """
        ---
        company: Acme
        role: Data Engineer
        url: https://acme.example/jobs/1
        contacts: [jane-doe]
        referred_by: bob-stone
        expected_decision: 2026-12-01
        ---
        Hybrid, Springfield.
        """,
    "interactions/2026-11-02-bob.md": """
        ---
        date: 2026-11-02
        contacts: bob-stone
        kind: referral
        opportunity: acme-data
        channel: email
        ---
        Bob passed my CV to Jane.
        """,
    "interactions/2026-11-03-thanks.md": """
        ---
        date: 2026-11-03
        contacts: bob-stone
        kind: thank-you
        channel: text
        ---
        """,
    "interactions/2026-11-05-apply.md": """
        ---
        date: 2026-11-05
        contacts: jane-doe
        kind: application
        opportunity: acme-data
        channel: email
        ---
        """,
    "interactions/2026-11-19-interview.md": """
        ---
        date: 2026-11-19 14:30
        contacts: jane-doe
        kind: interview
        opportunity: acme-data
        channel: in-person
        specifics:
          - Their move to streaming
          - My lakehouse migration (40% cheaper)
        ---
        Two hours onsite.
        """,
}


def build(make_crm, files, today=TODAY):
    root = make_crm(files)
    loaded = load_crm(root)
    return pages(loaded, evaluate(loaded.crm, today, loaded.settings))


def test_every_page_is_made_with_real_content(make_crm):
    out = build(make_crm, SMALL)
    assert list(out) == [
        "bridges.md",
        "contacts/bob-stone.md",
        "contacts/index.md",
        "contacts/jane-doe.md",
        "due.md",
        "followups.ics",
        "index.md",
        "letters/interview-thank-you-jane-doe-9a7c7e9b.html",
        "letters/keep-in-touch-bob-stone-7fab2ab2.html",
        "letters/letter.css",
        "letters/letter.js",
        "opportunities/acme-data.md",
        "opportunities/index.md",
        "problems.md",
        "rules.md",
        "stalled.md",
        "tags.md",
    ]
    dashboard = out["index.md"]
    assert "Today is **Friday 20 November 2026**." in dashboard
    assert "**0 overdue**" in dashboard and "**1 due now**" in dashboard
    assert "Pipeline: 1 active interview (target 3)" in dashboard

    due = out["due.md"]
    assert '<span class="fg-cell fg-who">[Jane Doe](contacts/jane-doe.md)</span>' in due
    assert "rule [interview-thank-you](rules.md#interview-thank-you)" in due
    assert "- Their move to streaming\n- My lakehouse migration (40% cheaper)\n" in due
    assert "[Draft](letters/interview-thank-you-jane-doe-9a7c7e9b.html)" in due
    assert out["followups.ics"].startswith("BEGIN:VCALENDAR")
    assert "@media print" in out["letters/letter.css"]  # the letters link it
    assert (
        '<link rel="stylesheet" href="letter.css">'
        in out["letters/keep-in-touch-bob-stone-7fab2ab2.html"]
    )
    # A thank-you by mail shows the address to write on the envelope.
    assert "**Address**: Jane Doe<br>Acme Inc.<br>1 Main St<br>Springfield" in due

    jane = out["contacts/jane-doe.md"]
    assert jane.startswith(
        '---\ntitle: "Jane Doe"\nhide:\n  - toc\ntags:\n  - "hiring"\n  - "python"\n---\n'
    )
    assert '- **Email**: <a href="mailto:jane@acme.example">jane@acme.example</a>' in jane
    # Notes are HTML, rendered and sanitized before they are placed in the page.
    assert (
        '## Notes\n\n<div class="fg-notes">\n<p>Met at the <strong>PyData</strong> meetup; see '
        '<a href="https://example.com/talk" rel="noopener noreferrer">her talk</a>.</p>\n</div>\n'
        in jane
    )
    # The timeline is newest first, with the interview's notes and specifics.
    assert jane.index("**2026-11-19 14:30 · Interview**") < jane.index(
        "**2026-11-05 · Application**"
    )
    assert '<blockquote class="fg-notes">\n<p>Two hours onsite.</p>\n</blockquote>\n' in jane

    index = out["contacts/index.md"]
    assert "| [Bob Stone](bob-stone.md) | past-coworker | Initech | 2026-11-03 |" in index
    assert "| [Jane Doe](jane-doe.md) | hiring | Acme | 2026-11-19 | " in index

    job = out["opportunities/acme-data.md"]
    assert "# Acme — Data Engineer" in job
    assert "- **Referred by**: [Bob Stone](../contacts/bob-stone.md)" in job
    assert "- **Expected decision**: 2026-12-01 (in 11 days)" in job
    assert (
        "| [Acme — Data Engineer](acme-data.md) | "
        + ICON["interviewing"]
        + " interviewing | 2026-11-19 |"
        in out["opportunities/index.md"]
    )
    assert '!!! success "No problems"' in out["problems.md"]
    assert "\n## `interview-thank-you`" in out["rules.md"]


@pytest.mark.parametrize(
    "page",
    [
        "index.md",
        "due.md",
        "contacts/jane-doe.md",
        "opportunities/acme-data.md",
        "opportunities/index.md",
        "contacts/index.md",
    ],
)
def test_golden(make_crm, request, page):
    out = build(make_crm, SMALL)
    golden = GOLDEN / "small" / page
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out[page], encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run pytest --update-golden"
    assert out[page] == golden.read_text(encoding="utf-8")


def test_output_is_deterministic(make_crm):
    root = make_crm(SMALL)
    first = generate(root, TODAY, cache=False)
    second = generate(root, TODAY, cache=True)
    assert first.pages == second.pages
    assert first.today == TODAY


EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_LINK = "[x](javascript:alert(1))"


def test_a_value_of_dashes_or_a_list_mark_stays_text_in_a_list(make_crm):
    # "- ---" would be a rule (the talking point lost), "- - x" a nested list.
    out = build(
        make_crm,
        {
            **SMALL,
            "interactions/2026-11-19-interview.md": """
                ---
                date: 2026-11-19
                contacts: jane-doe
                kind: interview
                specifics: ["---", "- x", "-- -", "-5% churn"]
                ---
                """,
        },
    )
    page = out["contacts/jane-doe.md"]
    html = markdown.markdown(page.split("---", 2)[2])
    assert "<hr" not in html
    for shown in ("<li>---</li>", "<li>- x</li>", "<li>-- -</li>", "<li>-5% churn</li>"):
        assert shown in html.replace("&#45;", "-"), shown


def test_user_text_is_escaped_everywhere(make_crm):
    out = build(
        make_crm,
        {
            "contacts/evil.md": f"""
                ---
                name: "{EVIL_NAME}"
                relationship: friend
                company: "{EVIL_LINK}"
                title: "*loud* {{: onclick=alert(2)}}"
                address: |
                  1. <b>Main</b>
                  - [y](javascript:alert(3))
                tags: ["<b>t</b>"]
                ---
                Raw <script>alert(4)</script>, [bad](javascript:alert(5)),
                ![pic](data:image/png;base64,xx) and [good](https://example.com).
                """,
            "interactions/2026-11-19-x.md": """
                ---
                date: 2026-11-19
                contacts: evil
                kind: interview
                channel: in-person
                specifics: ["<img src=y onerror=alert(6)>"]
                ---
                """,
        },
    )
    page = out["contacts/evil.md"]
    assert "# &#60;img src&#61;x onerror&#61;alert(1)&#62;\n" in page
    assert 'title: "&lt;img src=x onerror=alert(1)&gt;"' in page
    assert '  - "&lt;b&gt;t&lt;/b&gt;"' in page
    assert "&#91;x&#93;(javascript:alert(1))" in page
    assert "&#42;loud&#42; &#123;: onclick&#61;alert(2)&#125;" in page
    # (a line's list mark is escaped too: a value may start a line)
    assert (
        "&#49;&#46; &#60;b&#62;Main&#60;/b&#62;<br>&#45; &#91;y&#93;(javascript:alert(3))" in page
    )
    # Notes are rendered without their HTML and unsafe links, then sanitized.
    assert "<p>Raw &lt;script&gt;alert(4)&lt;/script&gt;, [bad](javascript:alert(5))," in page
    assert (
        '![pic](data:image/png;base64,xx) and <a href="https://example.com" '
        'rel="noopener noreferrer">good</a>.</p>' in page
    )
    for path, text in out.items():
        if not path.endswith(".md"):
            continue  # the calendar feed is plain text, not Markdown
        for raw in ("<img src", "<script", "<b>", "{:"):
            assert raw not in text
        # In rendered notes, Markdown link syntax is only text.
        outside_notes = re.sub(r'<div class="fg-notes">.*?</div>', "", text, flags=re.S)
        for raw in ("](javascript", "](data"):
            assert raw not in outside_notes


def test_escape_markdown_keeps_plain_text_readable():
    assert escape_markdown("Jane O'Neil-Smith, Ph.D.") == "Jane O&#39;Neil-Smith, Ph.D."
    assert escape_markdown("two\nlines") == "two lines"
    assert escape_markdown("a|b") == "a&#124;b"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com/x", "https://example.com/x"),
        ("mailto:a@b.example", "mailto:a@b.example"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example", None),
        ("", None),
    ],
)
def test_only_http_and_mailto_urls_become_links(url, safe):
    assert safe_url(url) == safe


@pytest.mark.parametrize("bad", ["../x", "a/b", "..", "", "A", "x y"])
def test_ids_never_make_paths_outside_the_folder(bad):
    with pytest.raises(ValueError):
        contact_path(bad)


def test_a_crm_template_overrides_the_default(make_crm):
    files = dict(SMALL)
    files["site_templates/due.md.j2"] = (
        "# My due list\n\n{% for f in site.followups %}- {{ f.reason }}\n{% endfor %}"
    )
    out = build(make_crm, files)
    assert out["due.md"].startswith(
        "# My due list\n\n- Thank Jane Doe for the interview on 2026-11-19"
    )
    assert out["index.md"].startswith('---\ntitle: "Dashboard"')  # the other defaults stay


def test_an_edited_template_is_compiled_again(make_crm):
    """Templates are compiled once per process; a changed source is not."""
    files = dict(SMALL)
    files["site_templates/due.md.j2"] = "# Due A\n"
    root = make_crm(files)
    loaded = load_crm(root)
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    assert pages(loaded, evaluation)["due.md"] == "# Due A\n"
    (root / "site_templates" / "due.md.j2").write_text("# Due B\n", encoding="utf-8")
    assert pages(loaded, evaluation)["due.md"] == "# Due B\n"


def test_a_broken_template_is_a_problem_not_a_traceback(make_crm):
    files = dict(SMALL)
    files["site_templates/contact.md.j2"] = "# {{ person.name }}\n\n{{ person.nope }}\n"
    result = generate(make_crm(files), TODAY)
    messages = [p.format() for p in result.problems]
    assert messages == [
        "site_templates/contact.md.j2:3: error: template error: 'followup_gen.records.Contact object' has no attribute 'nope' [bad-template]"
    ]
    assert result.pages["contacts/jane-doe.md"].startswith("# This page could not be made")
    assert "site&#95;templates/contact.md.j2" in result.pages["problems.md"]


def test_pages_from_a_hand_made_evaluation(make_crm):
    """Stalled opportunities and bridges, whatever the rules decide today."""
    root = make_crm(SMALL)
    loaded = load_crm(root)
    evaluation = Evaluation(
        today=TODAY,
        followups=(
            FollowUp(
                "bridge-check-in",
                "bob-stone",
                None,
                TODAY,
                TODAY,
                "due",
                "phone",
                "Call him.",
                "Check in with Bob.",
            ),
        ),
        stalled=(
            Stalled(
                "acme-data",
                "interviewing",
                dt.date(2026, 11, 1),
                19,
                "They went quiet.",
                "Book more interviews.",
            ),
        ),
        bridges=(Bridge("bob-stone", ("acme-data",), dt.date(2026, 11, 3), dt.date(2027, 2, 1)),),
        pipeline=Pipeline(3, 3, "Three interviews in flight."),
    )
    out = pages(loaded, evaluation)
    assert (
        "| "
        + ICON["bridge"]
        + " [Bob Stone](contacts/bob-stone.md) | [Acme — Data Engineer](opportunities/acme-data.md) | 2026-11-03 | 2027-02-01 (in 73 days) |"
        in out["bridges.md"]
    )
    stalled = out["stalled.md"]
    assert (
        "## " + ICON["stalled"] + " [Acme — Data Engineer](opportunities/acme-data.md)" in stalled
    )
    assert "- **Quiet for** 19 days, since 2026-11-01 (stage: interviewing)" in stalled
    assert "- **Why it is listed**: They went quiet." in stalled
    assert "- **What to do next**: Book more interviews." in stalled
    assert '!!! success "Pipeline: 3 active interviews (target 3)"' in out["index.md"]
    assert "    Three interviews in flight." in out["index.md"]
    assert '!!! warning "Stalled: quiet for 19 days"' in out["opportunities/acme-data.md"]
    assert "**1 stalled**" in out["index.md"]
    assert (
        "- " + ICON["bridge"] + " **Bridge**: next check-in 2027-02-01"
        in out["contacts/bob-stone.md"]
    )


def test_nav_keeps_records_out_and_guide_in():
    generated = [
        "index.md",
        "due.md",
        "bridges.md",
        "stalled.md",
        "contacts/index.md",
        "contacts/a.md",
        "opportunities/index.md",
        "rules.md",
        "tags.md",
        "problems.md",
    ]
    assert nav(generated, ["guide/format.md", "notes.md"]) == [
        {"Dashboard": "index.md"},
        {"Follow-ups": [{"Due": "due.md"}, {"Bridges": "bridges.md"}, {"Stalled": "stalled.md"}]},
        {"Opportunities": "opportunities/index.md"},
        {"Contacts": [{"Contacts": "contacts/index.md"}, {"Tags": "tags.md"}]},
        {"Guide": [{"Rules": "rules.md"}, "guide/format.md"]},
        {"Problems": "problems.md"},
        "notes.md",
    ]
    # With the rule book in the guide, the generated copy stays out of the nav.
    assert nav(generated, ["guide/rules.md"], "crm")[4] == {"Guide": ["guide/rules.md"]}


def test_text_environment_does_not_escape(tmp_path):
    env = environment(tmp_path, "text")
    assert env.from_string("{{ x }}").render(x="<b>[x]</b>") == "<b>[x]</b>"


# `followup-gen build`: the same pages, written into a marked folder.


def run_build(*args: str):
    from click.testing import CliRunner

    from followup_gen.cli import main

    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def files_under(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_the_pages_into_docs_crm(make_crm):
    root = make_crm(SMALL)
    result = run_build("--root", str(root), "--no-cache")
    out = root / "docs" / "crm"
    # The 17 pages and the plugin's 4 stylesheets and scripts (test_standalone.py).
    assert result.output == f"Wrote 21 files to {out} for 2026-11-20.\n"
    assert result.exit_code == 0
    written = files_under(out)
    marker = written.pop(".followup-generated")
    loaded = load_crm(root)
    assert written == {
        **pages(loaded, evaluate(loaded.crm, TODAY, loaded.settings)),
        **standalone.assets(),
    }
    assert marker.splitlines()[1:] == sorted(written)


def test_build_follows_mkdocs_docs_dir_and_today(make_crm):
    files = {
        **SMALL,
        "mkdocs.yml": "site_name: x\ndocs_dir: pages\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
    }
    root = make_crm(files)
    result = run_build("--root", str(root), "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 21 files to {root / 'pages' / 'crm'} for 2026-11-25.\n"
    assert "Today is **Wednesday 25 November 2026**." in (root / "pages/crm/index.md").read_text()


def test_build_is_byte_identical_and_replaces_the_whole_folder(make_crm, tmp_path):
    root = make_crm(SMALL)
    out = tmp_path / "out"
    assert run_build("--root", str(root), "--out", str(out)).exit_code == 0
    first = files_under(out)
    assert run_build("--root", str(root), "--out", str(out)).exit_code == 0
    assert files_under(out) == first
    (root / "contacts" / "bob-stone.md").unlink()
    (root / "interactions" / "2026-11-02-bob.md").unlink()
    (root / "interactions" / "2026-11-03-thanks.md").unlink()
    (root / "opportunities" / "acme-data.md").write_text(
        "---\ncompany: Acme\nrole: Data Engineer\n---\n", encoding="utf-8"
    )
    assert run_build("--root", str(root), "--out", str(out)).exit_code == 0
    assert not (out / "contacts" / "bob-stone.md").exists()
    assert "contacts/bob-stone.md" not in (out / ".followup-generated").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm0", "out"]  # nothing staged left


def test_build_never_touches_a_folder_it_did_not_make(make_crm, tmp_path):
    root = make_crm(SMALL)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.md").write_text("my own notes\n")
    result = run_build("--root", str(root), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} exists and was not made by 'followup-gen build' "
        "(it has no .followup-generated); choose another --out\n"
    )
    assert files_under(out) == {"notes.md": "my own notes\n"}


def test_build_never_deletes_a_file_it_did_not_write(make_crm, tmp_path):
    root = make_crm(SMALL)
    out = tmp_path / "out"
    assert run_build("--root", str(root), "--out", str(out)).exit_code == 0
    (out / "contacts" / "extra.md").write_text("keep me\n")
    before = files_under(out)
    result = run_build("--root", str(root), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} holds files 'followup-gen build' did not write: contacts/extra.md; "
        "move them out of the folder first\n"
    )
    assert files_under(out) == before


def test_build_with_data_errors_builds_the_rest_with_a_banner_and_exits_1(make_crm, tmp_path):
    root = make_crm(SMALL)
    out = tmp_path / "out"
    assert run_build("--root", str(root), "--out", str(out)).exit_code == 0
    before = files_under(out)
    (root / "contacts" / "bad.md").write_text("---\nname: Bad\nrelationship: cousin\n---\n")
    result = run_build("--root", str(root), "--out", str(out))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("contacts/bad.md:3: error: ")
    assert lines[-1].startswith("followup-gen: 1 file has errors (listed above): contacts/bad.md.")
    after = files_under(out)
    records = [k for k in before if k.startswith(("contacts/", "opportunities/"))]
    assert records and {k: after[k] for k in records} == {k: before[k] for k in records}
    assert "1 file has errors: some follow-ups may be missing" in (out / "due.md").read_text()


def test_nav_paths_lists_every_page_of_a_nav():
    from followup_gen.site.pages import nav_paths

    menu = nav(["index.md", "due.md", "contacts/a.md"], ["guide/x.md"])
    assert nav_paths(menu) == {"index.md", "due.md", "guide/x.md"}


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        (
            "Plain **bold** [link](https://x.example) & more",
            "Plain **bold** [link](https://x.example) &amp; more",
        ),
        ("<b>hi</b> <https://x.example>", "&lt;b>hi&lt;/b> <https://x.example>"),
        ("<javascript:alert(1)>", "&lt;javascript:alert(1)>"),
        ("[a](javascript:alert(1)) [b](rel.md)", "[a]&#40;javascript:alert(1)) [b](rel.md)"),
        ("[a](< java\tscript:x >)", "[a]&#40;&lt; java\tscript:x >)"),
        ("[r]: vbscript:x\n[s]: https://x.example", "[r]&#58; vbscript:x\n[s]: https://x.example"),
        ("text {: onclick=x}", "text &#123;: onclick=x&#125;"),
        ("`<b>{x}` and <b>", "`<b>{x}` and &lt;b>"),
        ("# Top\n## Sub", "### Top\n#### Sub"),
        ("Title\n=====\n\nPart\n---", "### Title\n\n#### Part"),
        ("```python {onclick=x}\n<b>\n```\nafter <b>", "```python\n<b>\n```\nafter &lt;b>"),
        ("```\nunclosed <b>", "```\nunclosed <b>\n```"),
    ],
)
def test_notes_stay_markdown_but_cannot_break_out(notes, expected):
    from followup_gen.outputs.templates import safe_notes

    assert safe_notes(notes) == expected


def test_notes_as_a_quote():
    from followup_gen.outputs.templates import safe_notes

    assert safe_notes("one\n\ntwo", quote=True) == "> one\n>\n> two"


def test_a_record_called_index_does_not_replace_the_table(make_crm):
    files = {**SMALL, "contacts/index.md": "---\nname: Ida Index\nrelationship: friend\n---\n"}
    out = build(make_crm, files)
    assert out["contacts/index.md"].startswith('---\ntitle: "Contacts"')
    assert out["contacts/_index.md"].startswith('---\ntitle: "Ida Index"')
    assert "| [Ida Index](_index.md) | friend |" in out["contacts/index.md"]


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_memo_renders_only_what_changed_and_never_a_stale_page(make_crm):
    root = make_crm(SMALL)
    memo = PageMemo()
    first = generate(root, TODAY, memo=memo)
    assert memo.rendered == 3  # two contacts, one opportunity
    again = generate(root, TODAY, memo=memo)
    assert again.pages == first.pages and memo.rendered == 0

    # Bob is named on the opportunity's page (he referred it), not on Jane's.
    _edit(root, "contacts/bob-stone.md", "name: Bob Stone", "name: Robert Stone")
    renamed = generate(root, TODAY, memo=memo)
    assert renamed.pages == generate(root, TODAY).pages
    assert memo.rendered == 2
    assert renamed.pages["contacts/jane-doe.md"] == first.pages["contacts/jane-doe.md"]
    assert "Robert Stone" in renamed.pages["opportunities/acme-data.md"]
    assert "Robert Stone" in renamed.pages["contacts/index.md"]

    # Each kind of change gives exactly the pages of a build without a memo.
    changes = [
        lambda: _edit(root, "opportunities/acme-data.md", "company: Acme", "company: Acme Corp"),
        lambda: (root / "interactions" / "2026-11-20-call.md").write_text(
            "---\ndate: 2026-11-20\ncontacts: jane-doe\nkind: thank-you\nchannel: email\n---\n",
            encoding="utf-8",
        ),
        lambda: _edit(root, "contacts/bob-stone.md", "cadence: 30d", "cadence: 10d"),
        lambda: (root / "profile.md").write_text(
            "---\nname: Ann Lee\naccomplishments:\n  - Cut costs by 40%\n---\n", encoding="utf-8"
        ),
        lambda: (
            (root / "site_templates").mkdir()
            or (root / "site_templates" / "contact.md.j2").write_text(
                "# {{ person.name }} of {{ site.crm.contacts | length }}\n", encoding="utf-8"
            )
        ),
        lambda: (root / "contacts" / "cara.md").write_text(
            "---\nname: Cara Fox\nrelationship: friend\n---\n", encoding="utf-8"
        ),
        lambda: (root / "contacts" / "bob-stone.md").unlink(),
    ]
    for change in changes:
        change()
        for day in (TODAY, TODAY + dt.timedelta(days=1)):
            assert generate(root, day, memo=memo).pages == generate(root, day).pages


def test_a_long_backlog_lists_the_first_rows_and_counts_the_rest(make_crm, monkeypatch):
    monkeypatch.setattr("followup_gen.site.pages.INBOX_ROWS", 2)
    files = {
        **SMALL,
        "contacts/cara.md": "---\nname: Cara Fox\nrelationship: friend\n---\n",
        "interactions/2026-10-01-help.md": (
            "---\ndate: 2026-10-01\ncontacts: [cara, jane-doe]\nkind: help\n---\n"
        ),
    }
    due = build(make_crm, files)["due.md"]
    assert due.count('<div class="fg-item ') == 2
    # One message per person (the plan): Jane's thanks and Cara's, then Bob's check-in.
    assert "**And 1 more**, each on its contact's page" in due
    assert "[contacts table](contacts/index.md)" in due
    rows = [line for line in due.splitlines() if line.startswith("| [")]
    assert rows == [
        "| [Thank everyone who helps your search, within 24–36 hours](rules.md#thank-helper) "
        "| 2 | 2026-10-02 |",
        "| [Keep in touch with everyone who could impact your search](rules.md#keep-in-touch) "
        "| 1 | 2026-12-03 |",
    ]


@pytest.mark.parametrize(("days", "shown"), [(14, 0), (60, 1)])
def test_the_coming_up_window_is_a_setting(make_crm, days, shown):
    """Bob's keep-in-touch item is due 30 days after their last exchange."""
    files = {
        **SMALL,
        "followup.yml": f"today: 2026-11-20\nsite:\n  upcoming_days: {days}\n",
        "interactions/2026-11-10-bob.md": """
            ---
            date: 2026-11-10
            contacts: [bob-stone]
            kind: meeting
            ---
            """,
    }
    due = build(make_crm, files)["due.md"]
    assert f"{shown} coming up in the next {days} days" in due
    assert ('fg-who">[Bob Stone]' in due) == bool(shown)


def test_a_negative_coming_up_window_is_an_error(make_crm):
    root = make_crm({**SMALL, "followup.yml": "site:\n  upcoming_days: -3\n"})
    problems = [p for p in load_crm(root).problems if p.code == "bad-setting"]
    assert [(p.file, p.line) for p in problems] == [("followup.yml", 2)]
    assert "'site.upcoming_days' must be a whole number from 0 to" in problems[0].message


def test_a_crms_own_macros_with_only_the_documented_ones_still_work(make_crm):
    """A CRM that copied `_macros.md.j2` before the shipped pages changed keeps
    a working site: the pages import only the documented macros, and the
    helpers still work as functions."""
    files = dict(SMALL)
    files["site_templates/_macros.md.j2"] = (
        "{% macro followup(item, heading='###', show_contact=True, show_opportunity=True) %}\n"
        "MINE {{ icon(item.status) }} {{ contact(item.contact) }} {{ when(item.due) }}\n"
        "{% endmacro %}\n"
        "{% macro followup_list(items, heading='###', show_contact=True, show_opportunity=True,"
        " empty='Nothing here.') %}\n"
        "{% for item in items %}{{ followup(item, heading, show_contact, show_opportunity) }}"
        "{% else %}{{ empty }}{% endfor %}\n"
        "{% endmacro %}\n"
        "{% macro interaction_entry(interaction, here_contact=None, here_opportunity=None) %}\n"
        "ENTRY {{ interaction.date }} {{ notes(interaction.notes) }}\n"
        "{% endmacro %}\n"
    )
    result = generate(make_crm(files), TODAY)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    jane = result.pages[contact_path("jane-doe")]
    assert "ENTRY 2026-11-19" in jane and "MINE" in jane
    assert "ENTRY" in result.pages["opportunities/acme-data.md"]


def test_a_template_that_includes_itself_is_a_problem_not_a_traceback(make_crm):
    files = dict(SMALL)
    files["site_templates/contact.md.j2"] = "# {{ person.name }}\n{% include 'contact.md.j2' %}\n"
    result = generate(make_crm(files), TODAY)
    bad = [p for p in result.problems if p.code == "bad-template"]
    assert bad and bad[0].file == "site_templates/contact.md.j2" and bad[0].line == 2
    assert "includes or calls itself without end" in bad[0].message


def test_a_template_that_divides_by_zero_is_a_problem_naming_its_line(make_crm):
    files = dict(SMALL)
    files["site_templates/contact.md.j2"] = "# {{ person.name }}\n\n{{ 1 / 0 }}\n"
    bad = [p for p in generate(make_crm(files), TODAY).problems if p.code == "bad-template"]
    assert [p.format() for p in bad][:1] == [
        "site_templates/contact.md.j2:3: error: template error: ZeroDivisionError: division by"
        " zero [bad-template]"
    ]


def test_each_due_item_carries_the_command_that_marks_it_done(make_crm):
    from followup_gen.outputs.closing import closings

    root = make_crm(SMALL)
    loaded = load_crm(root)
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    out = pages(loaded, evaluation)
    keys = {
        f.rule: c.key
        for f, c in zip(
            evaluation.followups, closings(loaded.crm, evaluation.followups).values(), strict=True
        )
    }
    command = "followup-gen log thank-you jane-doe --opportunity acme-data --channel mail"
    for page in ("due.md", "index.md", "contacts/jane-doe.md", "opportunities/acme-data.md"):
        assert f'class="fg-copy" data-copy="{command}"' in out[page], page
    assert (
        f"**Done?** `{command}`, or in short `followup-gen done {keys['interview-thank-you']}`."
        in out["due.md"]
    )
    # Bob's file has no address of any kind: no channel to name (the plan's "other").
    assert "`followup-gen log check-in bob-stone`" in out["due.md"]
    # Without a repository in mkdocs.yml, nothing links to GitHub.
    assert "github" not in "".join(out[p] for p in ("due.md", "contacts/jane-doe.md"))


def test_the_due_inbox_is_one_row_per_item_overdue_first(make_crm):
    files = {
        **SMALL,
        "contacts/al-ng.md": "---\nname: Al Ng\nrelationship: friend\nemail: al@example.com\n---\n",
        "interactions/2026-10-01-help.md": "---\ndate: 2026-10-01\ncontacts: al-ng\nkind: help\n---\n",
    }
    due = build(make_crm, files)["due.md"]
    rows = [
        (line.split('data-status="')[1].split('"')[0], line.split('data-rule="')[1].split('"')[0])
        for line in due.splitlines()
        if line.startswith('<div class="fg-item ')
    ]
    assert rows == [
        ("overdue", "thank-helper"),
        ("due", "interview-thank-you"),
        ("upcoming", "keep-in-touch"),
    ]
    groups = [line for line in due.splitlines() if line.startswith('<div class="fg-group ')]
    assert [g.split('id="')[1].split('"')[0] for g in groups] == ["overdue", "due-now", "coming-up"]
    assert 'data-tools="yes"' in due  # the due list sorts and filters; the dashboard does not
    assert 'data-tools="yes"' not in build(make_crm, files)["index.md"]


@pytest.mark.parametrize(
    ("problem", "red", "quiet"),
    [
        ("nickname: Janey\n", False, True),  # a warning: a quiet line, no red box
        ("met: someday\n", True, False),  # an error: the red box
    ],
)
def test_the_dashboard_shows_errors_red_and_warnings_quietly(make_crm, problem, red, quiet):
    files = dict(SMALL)
    files["contacts/bob-stone.md"] = SMALL["contacts/bob-stone.md"].replace(
        "cadence: 30d\n", "cadence: 30d\n        " + problem
    )
    dashboard = build(make_crm, files)["index.md"]
    assert ('!!! failure "1 error in your files' in dashboard) == red
    assert ('<p class="fg-quiet" markdown>' in dashboard) == quiet
    if quiet:
        assert "1 warning about your files (nothing is left out because of it)" in dashboard


def test_a_phone_number_is_a_tel_link(make_crm):
    files = dict(SMALL)
    files["contacts/bob-stone.md"] = SMALL["contacts/bob-stone.md"].replace(
        "cadence: 30d\n", 'cadence: 30d\n        phone: "+1 (206) 555-0131 ext. 4"\n'
    )
    bob = build(make_crm, files)[contact_path("bob-stone")]
    # Digits and the leading + to dial; an extension is left to the person dialling.
    assert '- **Phone**: <a href="tel:+12065550131">+1 (206) 555-0131 ext. 4</a>' in bob


def test_a_letter_page_opens_in_email_copies_prints_and_goes_back(make_crm):
    import dataclasses
    import html as html_lib
    import re
    from urllib.parse import parse_qs, urlsplit

    from followup_gen.outputs.drafts import draft, letter_path

    root = make_crm(SMALL)
    loaded = load_crm(root)
    evaluation = evaluate(loaded.crm, TODAY, loaded.settings)
    thanks = next(f for f in evaluation.followups if f.rule == "interview-thank-you")
    page = pages(loaded, evaluation)[letter_path(thanks)]
    bar = page.split('<nav class="fg-letter-actions"')[1].split("</nav>")[0]
    assert '<a class="fg-letter-button" href="../due/">Back to due</a>' in bar
    assert (
        '<button type="button" class="fg-letter-button" data-letter="copy" hidden>Copy letter'
        in bar
    )
    assert 'data-letter="print" hidden>Print</button>' in bar
    assert '<script src="letter.js" defer></script>' in page
    href = html_lib.unescape(re.search(r'href="(mailto:[^"]*)">Open in e-mail<', bar).group(1))
    assert not re.search(r"[\s<>\"']", href)  # every space and line break percent-encoded
    url = urlsplit(href)
    assert url.path == "jane@acme.example"
    query = parse_qs(url.query, strict_parsing=True)
    # The letter is by mail; the e-mail is the same letter written as one.
    text = draft(loaded, None, dataclasses.replace(thanks, channel="email"), TODAY, "text")
    to, subject, blank, *body = text.strip().split("\n")
    assert (to, blank) == ("To: jane@acme.example", "")
    assert query["subject"] == [subject.removeprefix("Subject: ")]
    assert query["subject"][0].startswith("Thank you for ")
    assert query["body"] == ["\r\n".join(body)]
    assert "%0D%0A%0D%0A" in href and "Dear%20Jane" in href
    # Without directory URLs the due list is due.html.
    plain = generate(root, TODAY, directory_urls=False).pages[letter_path(thanks)]
    assert 'href="../due.html">Back to due</a>' in plain
    # A letter saved on its own carries its script and goes back nowhere.
    alone = draft(loaded, None, thanks, TODAY, "html")
    assert "Back to due</a>" not in alone and "<script>\n" in alone and "Open in e-mail" in alone


def test_the_dashboard_counts_a_status_it_shows_only_in_part(make_crm, monkeypatch):
    files = dict(SMALL)
    for n in range(12):
        files[f"contacts/f{n}.md"] = f"---\nname: Friend {n}\nrelationship: friend\n---\n"
        files[f"interactions/2026-09-{n + 1:02d}-f{n}.md"] = (
            f"---\ndate: 2026-09-{n + 1:02d}\ncontacts: f{n}\nkind: meeting\n---\n"
        )
    out = build(make_crm, files)
    assert "Overdue (10 of 12)</div>" in out["index.md"]  # the first ten, of twelve
    assert "Overdue (12)</div>" in out["due.md"]
    assert (
        "[All 13 on the due list](due.md), where you can sort and filter them." in out["index.md"]
    )


def test_the_stalled_page_links_the_one_note_and_says_when_it_waits(make_crm):
    # SMALL's interview of 2026-11-19, the thank-you, and no word by the expected
    # decision of 2026-12-01: Jane's note is due.
    thanked = {
        **SMALL,
        "interactions/2026-11-20-ty.md": "---\ndate: 2026-11-20\ncontacts: jane-doe\n"
        "kind: thank-you\nopportunity: acme-data\n---\n",
    }
    stalled = build(make_crm, thanked, dt.date(2026, 12, 10))["stalled.md"]
    [line] = [x for x in stalled.splitlines() if x.startswith("- **Your note**")]
    assert line.startswith("- **Your note**: to [Jane Doe](contacts/jane-doe.md), due 2026-12-02")
    assert "(overdue)" in line and "[draft it](letters/stalled-note-jane-doe-" in line
    # Her thank-you still open: the note waits behind it.
    stalled = build(make_crm, SMALL, dt.date(2026, 12, 10))["stalled.md"]
    assert "- **Your note**: to [Jane Doe](contacts/jane-doe.md), after the interview" in stalled


def test_a_name_with_an_emoji_keeps_its_page_title_and_tags(make_crm):
    # JSON writes 🚀 as a surrogate pair, which YAML rejects: MkDocs then
    # showed the front matter as text at the top of the page, untitled.
    from mkdocs.utils.meta import get_data

    files = {
        **SMALL,
        "contacts/zoe.md": '---\nname: "Zoë 🚀 Müller"\nrelationship: friend\n'
        'tags: ["🎸", "a\\\\ud83d"]\n---\n',
        "opportunities/rocket.md": '---\ncompany: "Rocket 🚀 Labs"\nrole: "𝔻ata Engineer"\n---\n',
    }
    out = build(make_crm, files)
    _, meta = get_data(out["contacts/zoe.md"])
    assert meta["title"] == "Zoë 🚀 Müller"
    assert meta["tags"] == ["friend", "🎸", "a\\ud83d"]
    assert get_data(out["opportunities/rocket.md"])[1]["title"] == "Rocket 🚀 Labs — 𝔻ata Engineer"
    # Everything else is quoted as before (JSON's escapes are YAML's).
    assert out["opportunities/acme-data.md"].startswith('---\ntitle: "Acme \\u2014 Data Engineer"')


def test_the_dashboards_red_box_holds_its_text(make_crm):
    files = dict(SMALL)
    files["contacts/bob-stone.md"] = SMALL["contacts/bob-stone.md"].replace(
        "cadence: 30d\n", "cadence: 30d\n        met: someday\n"
    )
    dashboard = build(make_crm, files)["index.md"]
    body = markdown.markdown(dashboard, extensions=["admonition", "md_in_html", "attr_list"])
    box = re.search(r'<div class="admonition failure">(.*?)</div>', body, re.S)
    assert "<p>Records with errors, and what depends on them, are left out" in box[1]
    assert '<a href="problems.md">See the problems</a>' in box[1]


def test_counts_of_one_are_singular(make_crm):
    files = {
        "contacts/bob-stone.md": SMALL["contacts/bob-stone.md"].replace(
            "cadence: 30d\n", "cadence: 30d\n        nickname: Bobby\n"
        ),
        "contacts/bad.md": "---\nname: Bad\nrelationship: friend\nmet: someday\n---\n",
    }
    out = build(make_crm, files)
    assert "\n1 person. [Tags](../tags.md)" in out["contacts/index.md"]
    assert '!!! failure "1 error, 1 warning"' in out["problems.md"]
    two = build(make_crm, {**SMALL, "contacts/bad.md": files["contacts/bad.md"]})
    assert "\n2 people. [Tags](../tags.md)" in two["contacts/index.md"]
    assert '!!! failure "1 error, 0 warnings"' in two["problems.md"]


def test_the_problems_page_lists_each_problem_under_the_box(make_crm):
    # A list, read on a phone too: a table's last columns, the problem itself, were off the screen.
    files = {
        **SMALL,
        "contacts/bad.md": "---\nname: Bad\nrelationship: friend\nmet: someday\nnick: B\n---\n",
    }
    page = build(make_crm, files)["problems.md"]
    body = markdown.markdown(page, extensions=["admonition", "md_in_html", "attr_list"])
    box, rest = body.split("</div>", 1)
    assert "<li>" not in box
    items = re.findall(r"<li>(.*?)</li>", rest, re.S)
    assert [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items] == [
        "Error in contacts/bad.md, line 4: 'met' 'someday' is not a date; use YYYY-MM-DD or "
        "YYYY-MM-DD HH:MM (bad-date)",
        "Warning in contacts/bad.md, line 5: unknown key 'nick' for a contact; it is ignored "
        "(unknown-key)",
    ]
