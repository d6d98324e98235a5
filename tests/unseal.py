"""Open a sealed site as a browser with the password would: the inverse of ``seal``."""

from __future__ import annotations

import gzip
import json
from base64 import b64decode
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from followup_gen.publish.encrypt import ENVELOPE_DIR, derive_key


def open_blob(key: bytes, sealed: bytes, blob_id: str) -> bytes:
    """Decrypt one blob, as the browser's service worker does."""
    plain = AESGCM(key).decrypt(sealed[:12], sealed[12:], blob_id.encode())
    return gzip.decompress(plain)


def unseal(out_dir: Path, password: str) -> dict[str, bytes]:
    """Every file of an envelope, decrypted: the inverse of ``seal`` (for tests)."""
    meta = json.loads((out_dir / ENVELOPE_DIR / "meta.json").read_text())
    key = derive_key(password, b64decode(meta["salt"]), meta["iterations"])
    envelope = out_dir / ENVELOPE_DIR
    manifest = json.loads(open_blob(key, (envelope / "manifest.bin").read_bytes(), "manifest"))
    return {
        rel: open_blob(key, (envelope / f"{blob_id}.bin").read_bytes(), blob_id)
        for rel, (blob_id, _type) in manifest.items()
    }
