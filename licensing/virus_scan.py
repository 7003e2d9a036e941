"""Virus scanning of uploaded documents by ClamAV's daemon, clamd.

The file's bytes are streamed to clamd with its INSTREAM command (through `clamav-client`), so clamd needs no
access to our storage (local disk or S3). Signatures are clamd's business: production keeps them current
with `freshclam` (see the README); the tests run their own clamd with a local EICAR signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave no verdict; the document stays 'not yet scanned' and is retried."""


@dataclass(frozen=True)
class ScanVerdict:
    infected: bool
    signature: str = ""


def scanning_enabled() -> bool:
    return bool(settings.CLAMD_ADDRESS)


def _client() -> ClamdUnixSocket | ClamdNetworkSocket:
    address: str = settings.CLAMD_ADDRESS
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    host, sep, port = address.rpartition(":")
    if sep and port.isdigit() and not address.startswith(("/", "unix:")):
        return ClamdNetworkSocket(host=host, port=int(port), timeout=timeout)
    return ClamdUnixSocket(path=address, timeout=timeout)


def scan_stream(stream: Any) -> ScanVerdict:
    """Stream the bytes to clamd and return its verdict; raise ScannerUnavailable when there is none."""
    try:
        result = _client().instream(cast(BinaryIO, stream))  # any file object with read(n): Django File
    except (ClamdError, OSError) as exc:
        raise ScannerUnavailable(str(exc)) from exc
    status, signature = result.get("stream", (None, None))
    if status == "OK":
        return ScanVerdict(infected=False)
    if status == "FOUND":
        return ScanVerdict(infected=True, signature=str(signature or ""))
    raise ScannerUnavailable(f"clamd answered {status}: {signature}")


ERR_DOCUMENT_QUARANTINED = _(
    "The virus scanner found a threat in this file: it is quarantined and cannot be downloaded."
)
ERR_DOCUMENT_NOT_SCANNED = _("This file is still being scanned for viruses; try again in a minute.")


def download_refusal(scan_status: str) -> str | None:
    """Why a document may not be downloaded yet, or None. Quarantined files never; unscanned files only where
    no scanner is configured (a local run), since in production every file is scanned before anyone opens it."""
    if scan_status == "infected":
        return str(ERR_DOCUMENT_QUARANTINED)
    if scan_status == "pending" and scanning_enabled():
        return str(ERR_DOCUMENT_NOT_SCANNED)
    return None
