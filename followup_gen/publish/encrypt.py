"""Seal a built site into an encrypted envelope that only the password opens.

Why a whole-site envelope instead of encrypting page bodies: a CRM's names
leak through everything *around* the content (titles, navigation labels,
URLs, the sitemap, the search index, tag exports, the 404 page). Encrypting
each page's body, as mkdocs-encryptcontent-plugin does, leaves that
structure to be patched leak by leak. Here every file of the built site,
paths included, goes inside the envelope, so nothing personal can leak by
construction. What the host serves:

- ``index.html`` and ``404.html``: the same small password page (no data);
- ``sw.js``: a service worker that, once unlocked, answers every request of
  the site from the envelope, decrypting in the browser;
- ``_enc/session.js``: the script each decrypted page loads (``assets/``
  explains what it does: the key in memory, the idle lock);
- ``_enc/meta.json``: the key-derivation parameters and the idle time after
  which the site locks itself (not secret);
- ``_enc/manifest.bin``: the encrypted map of paths to blobs;
- ``_enc/<random id>.bin``: each file, gzipped, then encrypted.

Cryptography is standard and done by maintained code only: the key is
derived with PBKDF2-HMAC-SHA256 (600,000 iterations, OWASP's 2023 figure)
by ``hashlib`` here and WebCrypto in the browser; each blob is AES-256-GCM
(``cryptography`` here, WebCrypto there) with a random 96-bit nonce and its
blob id as associated data, so blobs cannot be swapped. The salt is the
site's own random one (``publish.salt``, see ``salt.py``), so it stays the
same from one publish to the next, and no two sites share it; a CRM made
before it had one is sealed with the salt derived from its site name
(``salt_for``), as it always was, until it gets its own.

Every page inside gets a Content-Security-Policy ``<meta>`` that allows only
the site's own scripts: its files, and its inline scripts by their SHA-256
hashes, computed here from the built pages (``content_policy``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import re
import secrets
import shutil
from base64 import b64encode
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from followup_gen.site.folder import swap_in

ITERATIONS = 600_000
ENVELOPE_DIR = "_enc"
PASSWORD_VARIABLE = "FOLLOWUP_SITE_PASSWORD"
MIN_PASSWORD_LENGTH = 12
IDLE_LOCK_MINUTES = 30


@dataclass(frozen=True, slots=True)
class Sealed:
    """What ``seal`` wrote: how many files went into the envelope, and its size."""

    files: int
    bytes: int


def password_problem(password: str | None) -> str | None:
    """Why a password cannot be used, or None when it can."""
    if not password:
        return (
            f"no password: set the environment variable {PASSWORD_VARIABLE} "
            "(in GitHub Actions, a repository secret of that name)"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"the password in {PASSWORD_VARIABLE} is {len(password)} characters; use at least "
            f"{MIN_PASSWORD_LENGTH} (a passphrase of 4+ random words is best): anyone can "
            "download the site and try passwords offline"
        )
    return None


def salt_for(site_name: str) -> bytes:
    """The salt of a site without ``publish.salt``: made from its name (shared
    by every site of that name, hence the warning ``publish`` prints)."""
    return hashlib.sha256(b"followup-gen/envelope/v1/" + site_name.encode()).digest()[:16]


def derive_key(password: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, 32)


def _seal_blob(aead: AESGCM, data: bytes, blob_id: str) -> bytes:
    nonce = secrets.token_bytes(12)
    packed = gzip.compress(data, compresslevel=6, mtime=0)
    return nonce + aead.encrypt(nonce, packed, blob_id.encode())


def _content_type(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/json"):
        guessed += "; charset=utf-8"
    return guessed


def _asset(name: str) -> str:
    return (files("followup_gen.publish") / "assets" / name).read_text(encoding="utf-8")


LOCK_LINK = (
    '<a class="followup-lock" href="{href}" title="Forget the key in this browser: '
    'the site asks for the password again" style="position:fixed;right:.8rem;bottom:.8rem;'
    "z-index:5;padding:.45rem .8rem;border-radius:1rem;background:#37474f;color:#fff;"
    'font:600 .7rem/1 system-ui,sans-serif;text-decoration:none;opacity:.85">Lock</a>'
)


SESSION_SCRIPT = '<script src="{src}"></script>'
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\ssrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)
_HEAD = re.compile(rb"<head\b[^>]*>", re.I)


def with_lock_link(rel: str, data: bytes) -> bytes:
    """An HTML page with a "Lock" link to ``_enc/lock.html`` and the session
    script ``_enc/session.js``, both relative to it.

    Not on ``404.html``: it is shown at any address, where a relative link
    would point elsewhere.
    """
    if not rel.endswith(".html") or rel == "404.html" or b"</body>" not in data:
        return data
    up = "../" * rel.count("/")
    link = LOCK_LINK.format(href=f"{up}{ENVELOPE_DIR}/lock.html").encode()
    script = SESSION_SCRIPT.format(src=f"{up}{ENVELOPE_DIR}/session.js").encode()
    head, _, tail = data.rpartition(b"</body>")
    return head + link + script + b"</body>" + tail


def inline_script_hashes(pages: Iterable[bytes]) -> list[str]:
    """The CSP source of every distinct inline script of ``pages``, sorted."""
    found = set()
    for page in pages:
        for match in _INLINE_SCRIPT.finditer(page):
            digest = b64encode(hashlib.sha256(match.group(1)).digest()).decode()
            found.add(f"'sha256-{digest}'")
    return sorted(found)


def content_policy(hashes: Iterable[str]) -> str:
    """The Content-Security-Policy of the pages: scripts from the site itself
    and the inline ones with these hashes; nothing from another site."""
    return (
        f"default-src 'self'; script-src 'self' {' '.join(hashes)}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "worker-src 'self' blob:; object-src 'none'; frame-src 'none'; base-uri 'self'; "
        "form-action 'self'"
    ).replace("  ", " ")


def with_policy(data: bytes, policy: str) -> bytes:
    """An HTML page with the policy as the first thing in its ``<head>``."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'.encode()
    head = _HEAD.search(data)
    if head is None:
        return data
    return data[: head.end()] + meta + data[head.end() :]


def envelope_files() -> dict[str, bytes]:
    """The files every envelope holds as they are, the same for every site:
    the password and lock pages, the service worker, the session script,
    robots.txt. (They hold no personal data; ``audit`` knows them by their
    bytes.)"""
    out = {}
    for name, asset in (
        ("index.html", "login.html"),
        ("404.html", "login.html"),
        (f"{ENVELOPE_DIR}/login.html", "login.html"),
        (f"{ENVELOPE_DIR}/lock.html", "lock.html"),
        ("sw.js", "sw.js"),
        (f"{ENVELOPE_DIR}/session.js", "session.js"),
    ):
        data = _asset(asset).encode()
        if name.endswith(".html"):
            data = with_policy(data, content_policy(inline_script_hashes([data])))
        out[name] = data
    out["robots.txt"] = b"User-agent: *\nDisallow: /\n"
    out[".nojekyll"] = b""
    return out


def seal(
    site_dir: Path,
    out_dir: Path,
    password: str,
    *,
    salt: bytes,
    iterations: int = ITERATIONS,
    idle_lock_minutes: int = IDLE_LOCK_MINUTES,
) -> Sealed:
    """Encrypt every file under ``site_dir`` into a fresh envelope at ``out_dir``.

    ``out_dir`` is replaced as a whole: it is built beside itself and swapped
    in, so a failed run leaves the previous output as it was.
    """
    aead = AESGCM(derive_key(password, salt, iterations))
    staging = out_dir.with_name(f".{out_dir.name}.sealing")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / ENVELOPE_DIR).mkdir(parents=True)
    manifest: dict[str, list[str]] = {}
    total = 0
    paths = sorted(p for p in site_dir.rglob("*") if p.is_file())
    pages = [p for p in paths if p.suffix == ".html"]
    policy = content_policy(inline_script_hashes(p.read_bytes() for p in pages))
    for path in paths:
        rel = path.relative_to(site_dir).as_posix()
        blob_id = secrets.token_hex(12)
        data = path.read_bytes()
        if path.suffix == ".html":
            data = with_policy(with_lock_link(rel, data), policy)
        sealed = _seal_blob(aead, data, blob_id)
        (staging / ENVELOPE_DIR / f"{blob_id}.bin").write_bytes(sealed)
        manifest[rel] = [blob_id, _content_type(rel)]
        total += len(sealed)
    body = json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode()
    (staging / ENVELOPE_DIR / "manifest.bin").write_bytes(_seal_blob(aead, body, "manifest"))
    meta = {
        "version": 1,
        "kdf": "PBKDF2-SHA256",
        "iterations": iterations,
        "salt": b64encode(salt).decode(),
        "cipher": "AES-256-GCM",
        "idle_lock_minutes": idle_lock_minutes,
    }
    (staging / ENVELOPE_DIR / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    for name, data in envelope_files().items():
        (staging / name).write_bytes(data)
    swap_in(staging, out_dir)
    return Sealed(len(manifest), total)
