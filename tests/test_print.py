"""A draft letter page printed by headless Chromium is a one-page letter.

A letter page is a standalone HTML page with its own print stylesheet; it is
printed to PDF by Chromium, then checked with poppler: one page, the letter's
text, none of the note around it. ``pdftoppm`` makes a PNG of
the sheet to look at (run with ``--basetemp DIR`` to keep it).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from followup_gen.load import load_crm
from followup_gen.load.profile import load_profile
from followup_gen.outputs.drafts import letter_pages
from followup_gen.rules.evaluate import evaluate

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = all(shutil.which(tool) for tool in ("pdftoppm", "pdfinfo", "pdftotext"))
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed"),
    pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm) is not installed"),
]


def print_to_pdf(html_file: Path, pdf: Path) -> None:
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert pdf.is_file() and pdf.stat().st_size > 0


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def test_the_longest_example_letter_prints_on_one_sheet(tmp_path):
    loaded = load_crm(ROOT)
    profile, _ = load_profile(ROOT)
    evaluation = evaluate(loaded.crm, loaded.settings.today, loaded.settings)
    pages = letter_pages(loaded, profile, evaluation)
    mailed = [kv for kv in pages.items() if "· by mail" in kv[1]]
    path, page = max(mailed, key=lambda kv: len(kv[1]))
    # A full letter with talking points, in prose.
    assert "Dear " in page and "especially enjoyed our conversation about" in page
    assert "<li>" not in page
    html_file = tmp_path / "letter.html"
    html_file.write_text(page, encoding="utf-8")
    pdf = tmp_path / "letter.pdf"
    print_to_pdf(html_file, pdf)

    assert pdf_pages(pdf) == 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The letter: letterhead first, then the date, the salutation, the signature.
    assert lines[0] == "Alex Rivera"
    assert "November 20, 2026" in lines
    assert any(line.startswith("Dear ") for line in lines)
    assert lines[-2:] == ["Best regards,", "Alex Rivera"]
    # Nothing of the site around it: header, tabs, navigation, title, the screen note.
    for note in ("Interview thank-you", "Edit it in", "Due 2026"):
        assert note not in text, note

    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(tmp_path / "letter")],
        check=True,
        timeout=60,
    )
    assert (tmp_path / "letter.png").stat().st_size > 10_000


def test_a_letter_page_of_the_example_site_prints_alone_on_one_sheet(example_site, tmp_path):
    """The real site: the example's mkdocs.yml, its plugin and extra_css."""
    letters = sorted((example_site / "letters").glob("interview-thank-you-rachel-kim-*.html"))
    assert len(letters) == 1
    pdf = tmp_path / "rachel.pdf"
    print_to_pdf(letters[0], pdf)
    assert pdf_pages(pdf) == 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:2] == ["Alex Rivera", "4127 Meridian Avenue N, Apt 2B"]
    assert "Dear Rachel," in lines  # her salutation
    assert lines[-2:] == ["Best regards,", "Alex Rivera"]
    for chrome in (
        "Job search",
        "Follow-ups",
        "Opportunities",
        "Interview thank-you",
        "Edit it in",
    ):
        assert chrome not in text, chrome
