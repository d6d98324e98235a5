"""`audit`: every way a personal string can hide in a built site is a fixture it must find."""

from __future__ import annotations

import base64
import gzip
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from followup_gen.cli import main
from followup_gen.load import load_crm
from followup_gen.load.profile import load_profile
from followup_gen.publish.audit import Needle, audit, personal_strings

CRM = {
    "contacts/maria-lopez.md": """
        ---
        name: Maria Lopez
        relationship: hiring
        company: Lumenfield
        email: maria.lopez@example.com
        phone: "+1 206-555-0187"
        address: |
          12 Elm St
          Springfield
        tags: [kafka]
        ---
        Met at PyCon. She asked about the Flink migration and our on-call load. Referred by Priya.
        """,
    "contacts/an-le.md": """
        ---
        name: An Le
        relationship: friend
        ---
        """,
    "profile.md": """
        ---
        name: Alex Rivera
        email: alex.rivera@example.com
        phone: "+1 206-555-0142"
        address: |
          4127 Meridian Avenue N
          Seattle, WA 98103
        ---
        """,
}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# file in the site -> (its bytes, the personal string it hides)
EVASIONS: dict[str, tuple[bytes, str]] = {
    "case.html": (b"<p>MARIA LOPEZ called</p>", "Maria Lopez"),
    "split-by-tags.html": (b"<p>Ma<b>ria</b> Lo<i>pez</i></p>", "Maria Lopez"),
    "soft-hyphens.html": ("<p>Ma\u00adria Lo&shy;pez</p>".encode(), "Maria Lopez"),
    "zero-width.html": ("<p>Lumen\u200bfield</p>".encode(), "Lumenfield"),
    "nbsp-in-address.html": (b"<p>12&nbsp;Elm&nbsp;St</p>", "12 Elm St"),
    "entities.html": (b"<p>&#77;aria &#x4C;opez</p>", "Maria Lopez"),
    "url-encoded.js": (
        f'go("/?q={quote("maria.lopez@example.com")}")'.encode(),
        "maria.lopez@example.com",
    ),
    "base64.js": (
        f'const x = "{b64("maria.lopez@example.com")}";'.encode(),
        "maria.lopez@example.com",
    ),
    "data-uri.html": (
        f'<a href="data:text/plain;base64,{b64("Springfield is home")}">x</a>'.encode(),
        "Springfield",
    ),
    "compressed.json.gz": (gzip.compress(b'{"who": "Maria Lopez"}'), "Maria Lopez"),
    "utf-16.txt": ("Maria Lopez".encode("utf-16"), "Maria Lopez"),
    "utf-16-no-bom.txt": ("Lumenfield".encode("utf-16-le"), "Lumenfield"),
    "js-escapes.js": (b'var n = "\\u004daria \\x4copez";', "Maria Lopez"),
    "js-code-points.js": (b'var n = "\\u{4d}aria Lopez";', "Maria Lopez"),
    "css-escapes.css": (b'a::after { content: "\\4d aria Lopez"; }', "Maria Lopez"),
    "people/Maria_Lopez.html": (b"<p>nothing here</p>", "Maria Lopez"),
    "MARIA-LOPEZ.TXT": (b"nothing here", "Maria Lopez"),
    "maria-lopez/index.html": (b"nothing here", "maria-lopez"),
    "tel-link.html": (b'<a href="tel:+12065550187">call</a>', "+1 206-555-0187"),
    "phone-dots.html": (b"<p>(206) 555.0187</p>", "+1 206-555-0187"),
    "profile-email.html": (b"<p>ALEX.RIVERA@example.com</p>", "alex.rivera@example.com"),
    "profile-phone.html": (b"<p>206.555.0142</p>", "+1 206-555-0142"),
    "profile-address.html": (b"<p>4127 meridian avenue n</p>", "4127 Meridian Avenue N"),
    "short-name.html": (b"<p>Hi An, thanks!</p>", "An"),
    "short-sentence.html": (b"<p>met at pycon.</p>", "Met at PyCon."),
}


@pytest.fixture
def crm(make_crm):
    root = make_crm(CRM)
    loaded = load_crm(root)
    return root, personal_strings(loaded.crm, load_profile(root)[0])


@pytest.mark.parametrize("name", EVASIONS, ids=list(EVASIONS))
def test_every_evasion_is_found(crm, tmp_path, name):
    _, needles = crm
    data, hidden = EVASIONS[name]
    site = tmp_path / "site"
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_bytes(data)
    found = {leak.needle.text for leak in audit(site, needles)}
    assert hidden in found, found


@pytest.mark.parametrize(
    "text",
    [
        b"<p>This browser cannot open an encrypted site.</p>",  # "an" is not An
        b"<p>mysqli and kafkaesque</p>",  # whole words only
        b"<p>Lopezian Marias</p>",
        b"<p>Referred by: Priya Natarajan</p>",  # the note's sentence ends at Priya.
        b"<p>Call 206-555-0100 or 2026-11-20</p>",
        "<p>mariachi\u00a0lopezz</p>".encode(),
    ],
)
def test_innocent_text_is_not_a_leak(crm, tmp_path, text):
    _, needles = crm
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.html").write_bytes(text)
    assert audit(tmp_path / "site", needles) == ()


def test_the_profile_and_short_sentences_are_personal_strings(crm):
    _, needles = crm
    origins = {n.text: n.origin for n in needles}
    assert origins["alex.rivera@example.com"] == "profile.md: email"
    assert origins["Seattle, WA 98103"] == "profile.md: address"
    assert origins["An"] == "contacts/an-le.md: name"
    assert origins["Met at PyCon."] == "contacts/maria-lopez.md: notes"


def test_the_audit_command_finds_them_all(crm, tmp_path):
    root, _ = crm
    site = tmp_path / "site"
    for name, (data, _) in EVASIONS.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    result = CliRunner().invoke(main, ["audit", str(site), "--root", str(root), "--limit", "500"])
    assert result.exit_code == 1
    leaked = {line.split(": leaks ")[0] for line in result.stdout.splitlines()}
    assert leaked == set(EVASIONS)


def test_needles_in_binary_files_need_eight_characters(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\x00\xff\x10 An Lumenfield \x00\xfe")
    needles = [Needle("An", "n"), Needle("Lumenfield", "c")]
    assert [leak.needle.text for leak in audit(tmp_path, needles)] == ["Lumenfield"]
