"""The encrypted envelope: a round trip, tamper-evidence, and no plain text inside."""

from __future__ import annotations

import json

import pytest
from cryptography.exceptions import InvalidTag

from followup_gen.publish.audit import Needle, audit
from followup_gen.publish.encrypt import (
    password_problem,
    salt_for,
    seal,
    with_lock_link,
)

from .unseal import unseal

PASSWORD = "correct horse battery staple"
SALT = bytes(range(16))


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "contacts" / "jane-doe").mkdir(parents=True)
    (root / "index.html").write_text("<title>Dashboard</title>Jane Doe is due")
    (root / "contacts" / "jane-doe" / "index.html").write_text("<h1>Jane Doe</h1> jane@example.com")
    (root / "sitemap.xml").write_text("<loc>https://x/contacts/jane-doe/</loc>")
    return root


def test_round_trip_restores_every_file(site, tmp_path):
    out = tmp_path / "out"
    sealed = seal(site, out, PASSWORD, salt=SALT, iterations=1000)
    assert sealed.files == 3
    files = unseal(out, PASSWORD)
    assert files == {
        p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
    }


def test_envelope_shows_nothing_personal(site, tmp_path):
    out = tmp_path / "out"
    seal(site, out, PASSWORD, salt=SALT, iterations=1000)
    needles = [Needle("Jane Doe", "n"), Needle("jane-doe", "id"), Needle("jane@example.com", "e")]
    assert audit(out, needles) == ()
    assert len(audit(site, needles)) >= 3  # the scanner sees them in the plain site
    names = {p.name for p in out.rglob("*")}
    assert {"index.html", "404.html", "sw.js", "meta.json", "manifest.bin"} <= names
    meta = json.loads((out / "_enc" / "meta.json").read_text())
    assert meta["kdf"] == "PBKDF2-SHA256" and meta["cipher"] == "AES-256-GCM"
    login = (out / "index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in login


def test_wrong_password_opens_nothing(site, tmp_path):
    out = tmp_path / "out"
    seal(site, out, PASSWORD, salt=SALT, iterations=1000)
    with pytest.raises(InvalidTag):
        unseal(out, "not the password at all")


def test_swapped_blobs_do_not_decrypt(site, tmp_path):
    out = tmp_path / "out"
    seal(site, out, PASSWORD, salt=SALT, iterations=1000)
    blobs = sorted(p for p in (out / "_enc").glob("*.bin") if p.name != "manifest.bin")
    first, second = blobs[0].read_bytes(), blobs[1].read_bytes()
    blobs[0].write_bytes(second)
    blobs[1].write_bytes(first)
    with pytest.raises(InvalidTag):
        unseal(out, PASSWORD)


def test_reseal_keeps_the_salt_so_browsers_stay_unlocked(site, tmp_path):
    out = tmp_path / "out"
    seal(site, out, PASSWORD, salt=SALT, iterations=1000)
    first = (out / "_enc" / "meta.json").read_text()
    seal(site, out, PASSWORD, salt=SALT, iterations=1000)
    assert (out / "_enc" / "meta.json").read_text() == first
    assert not any(p.name.startswith(".") and "seal" in p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize(
    "password, expected",
    [
        (None, "no password: set the environment variable FOLLOWUP_SITE_PASSWORD"),
        ("", "no password"),
        ("short", "is 5 characters; use at least 12"),
        (PASSWORD, None),
    ],
)
def test_password_problem(password, expected):
    problem = password_problem(password)
    assert (problem is None) if expected is None else (expected in problem)


def test_every_page_inside_gets_a_lock_link_relative_to_it():
    page = b"<html><body><p>x</p></body></html>"
    assert with_lock_link("index.html", page).count(b'href="_enc/lock.html"') == 1
    deep = with_lock_link("contacts/jane-doe/index.html", page)
    assert b'href="../../_enc/lock.html"' in deep and deep.endswith(b"</body></html>")
    assert with_lock_link("404.html", page) == page  # shown at any address
    assert with_lock_link("assets/site.css", b"body{}") == b"body{}"
    assert with_lock_link("no-body.html", b"<p>x</p>") == b"<p>x</p>"


def test_the_salt_is_the_sites_own(site, tmp_path):
    seal(site, tmp_path / "a", PASSWORD, salt=SALT, iterations=1000)
    seal(site, tmp_path / "b", PASSWORD, salt=bytes(16), iterations=1000)
    salts = [json.loads((tmp_path / x / "_enc" / "meta.json").read_text())["salt"] for x in "ab"]
    assert salts == ["AAECAwQFBgcICQoLDA0ODw==", "AAAAAAAAAAAAAAAAAAAAAA=="]
    assert unseal(tmp_path / "b", PASSWORD).keys() == unseal(tmp_path / "a", PASSWORD).keys()


def test_the_old_salt_is_still_the_one_derived_from_the_site_name():
    # Sites sealed before per-site salts keep opening with the same key.
    assert salt_for("Job search").hex() == "27c0981ad47a750b38f01865f5f3c347"


def test_every_page_allows_only_the_sites_own_scripts(tmp_path):
    site = tmp_path / "site"
    (site / "contacts").mkdir(parents=True)
    theme = b"<script>var theme=1</script><script src='assets/bundle.js'></script>"
    (site / "index.html").write_bytes(
        b"<html><head><title>x</title>" + theme + b"</head><body></body></html>"
    )
    (site / "contacts" / "a.html").write_bytes(
        b"<html><head><script>b()</script></head><body>A</body></html>"
    )
    out = tmp_path / "out"
    seal(site, out, PASSWORD, salt=SALT, iterations=1000, idle_lock_minutes=7)
    files = unseal(out, PASSWORD)
    # The SHA-256 of `b()` and of `var theme=1`, in base64.
    hashes = (
        "'sha256-cf242PFc/kb7xD0Qzhsmd9vvRkc+cWFmbi+k+YvtdKc=' "
        "'sha256-jYNoi4W0rjtGA6/HUYbqgWh4NY7aq2O5SUKlPppDeQg='"
    )
    policy = (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
        "object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'"
    )
    meta = f'<head><meta http-equiv="Content-Security-Policy" content="{policy}"><title>'.encode()
    assert meta in files["index.html"]  # first in <head>, before any script
    assert files["contacts/a.html"].startswith(b"<html><head><meta http-equiv=")
    # Each page loads the session script (relative to it) and shows the Lock link.
    assert b'<script src="../_enc/session.js"></script></body>' in files["contacts/a.html"]
    assert json.loads((out / "_enc" / "meta.json").read_text())["idle_lock_minutes"] == 7
    login = (out / "index.html").read_text()
    assert '<meta http-equiv="Content-Security-Policy" content="default-src' in login
    assert '<input id="remember" type="checkbox">' in login  # off unless chosen
    assert (out / "_enc" / "session.js").is_file()
