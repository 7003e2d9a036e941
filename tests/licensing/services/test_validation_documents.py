"""Uploaded documents: refused when empty, too large, or when their content (not their name) is not a PDF,
PNG or JPEG, or when the name promises another type than the content; a refused file leaves the draft as it was."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.exceptions import DomainValidationError
from licensing.models import Application
from licensing.services import applications as apps
from tests.licensing.services.pdfs import MINIMAL_PDF
from tests.licensing.services.test_transitions import Cast, application_in, case_state

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


@pytest.fixture
def draft(cast) -> Application:  # type: ignore[no-untyped-def]
    return application_in("draft", cast)


def _refused(call: Callable[[], Any]) -> DomainValidationError:
    with pytest.raises(DomainValidationError) as raised:
        call()
    assert raised.value.status_code == 400
    return raised.value


def _png() -> bytes:
    """A real 1×1 PNG, built by hand (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


BAD_FILES = [
    (
        "text named .pdf",
        "euc.pdf",
        b"This is not a PDF at all, just text that claims to be one.\n" * 5,
        apps.ERR_FILE_TYPE,
    ),
    ("html named .pdf", "euc.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", apps.ERR_FILE_TYPE),
    ("windows program named .pdf", "euc.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120, apps.ERR_FILE_TYPE),
    ("zip archive named .pdf", "euc.pdf", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40, apps.ERR_FILE_TYPE),
    ("empty file", "euc.pdf", b"", apps.ERR_FILE_EMPTY),
]


@pytest.mark.parametrize(("name", "content", "message"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_document_is_refused_when_its_content_is_not_an_allowed_type(name, content, message, cast, draft):
    before = case_state(draft)
    documents = draft.documents.count()
    error = _refused(
        lambda: apps.document_upload(
            actor=cast.exporter, application_id=draft.pk, kind="euc", upload=SimpleUploadedFile(name, content)
        )
    )
    assert error.field_errors == {"file": [message]}
    assert case_state(draft) == before
    assert draft.documents.count() == documents


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "scan.pdf",
            _png(),
            "The file's name says .pdf but its content is PNG; rename it or upload the right file.",
        ),
        (
            "certificate.png",
            MINIMAL_PDF,
            "The file's name says .png but its content is PDF; rename it or upload the right file.",
        ),
        (  # issue 14: a PDF/HTML polyglot named x.html was stored and served under that name
            "x.html",
            MINIMAL_PDF + b"<html><script>alert(1)</script></html>",
            "The file's name says .html but its content is PDF; rename it or upload the right file.",
        ),
        (
            "certificate",
            MINIMAL_PDF,
            "The file's name has no extension; name it .pdf and upload it again.",
        ),
    ],
    ids=["png named .pdf", "pdf named .png", "pdf-html polyglot named .html", "pdf without an extension"],
)
def test_document_is_refused_when_its_name_promises_another_allowed_type(name, content, message, cast, draft):
    before = case_state(draft)
    error = _refused(
        lambda: apps.document_upload(
            actor=cast.exporter, application_id=draft.pk, kind="euc", upload=SimpleUploadedFile(name, content)
        )
    )
    assert error.field_errors == {"file": [message]}
    assert case_state(draft) == before


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("scan.png", _png(), "image/png"), ("EUC.PDF", MINIMAL_PDF, "application/pdf")],
    ids=["png named .png", "pdf named .PDF"],
)
def test_document_is_accepted_with_the_type_of_its_content_when_the_name_agrees(
    name, content, content_type, cast, draft
):
    document = apps.document_upload(
        actor=cast.exporter, application_id=draft.pk, kind="euc", upload=SimpleUploadedFile(name, content)
    )
    assert (document.content_type, document.original_name) == (content_type, name)


def test_document_is_refused_when_larger_than_the_configured_limit(cast, draft, settings):
    settings.DOCUMENT_MAX_BYTES = 2 * MIB
    too_big = MINIMAL_PDF + b"%" * (2 * MIB + 1 - len(MINIMAL_PDF))
    before = case_state(draft)
    error = _refused(
        lambda: apps.document_upload(
            actor=cast.exporter, application_id=draft.pk, kind="euc", upload=SimpleUploadedFile("big.pdf", too_big)
        )
    )
    # Django's filesizeformat: "2.0 MB" with a no-break space, so the size never wraps apart.
    assert error.field_errors == {"file": ["The file is larger than the limit of 2.0\xa0MB."]}
    assert case_state(draft) == before


def test_document_is_accepted_when_exactly_at_the_configured_limit(cast, draft, settings):
    settings.DOCUMENT_MAX_BYTES = 2 * MIB
    just_fits = MINIMAL_PDF + b"%" * (2 * MIB - len(MINIMAL_PDF))
    document = apps.document_upload(
        actor=cast.exporter, application_id=draft.pk, kind="euc", upload=SimpleUploadedFile("big.pdf", just_fits)
    )
    assert (document.size, document.content_type) == (2 * MIB, "application/pdf")
