"""A real clamd for the tests: its own configuration, socket and signature database in a temporary folder.

No signature download is possible (or wanted) in the test suite, so the database holds one signature we
write ourselves: the EICAR test string, as an `.ndb` body signature (name:target:offset:hex). A body
signature matches the string anywhere in a file, so it also finds EICAR inside a PDF (the register only
accepts PDF, PNG and JPEG, so a bare EICAR file would be refused before it is scanned).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clamav_client.clamd import ClamdError, ClamdUnixSocket
from django.core.files.uploadedfile import SimpleUploadedFile

# The EICAR anti-virus test file (eicar.org): harmless, and every scanner reports it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = "Eicar-Test-Signature"
STARTUP_SECONDS = 60


def eicar_pdf(name: str = "euc.pdf") -> SimpleUploadedFile:
    """A PDF (by its magic bytes, as the upload check sees it) that carries the EICAR string."""
    content = b"%PDF-1.4\n% " + EICAR + b"\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _config(root: Path) -> Path:
    database = root / "db"
    database.mkdir()
    (database / "eicar.ndb").write_text(f"{EICAR_SIGNATURE}:0:*:{EICAR.hex()}\n")
    config = root / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {root / 'clamd.sock'}",
                f"DatabaseDirectory {database}",
                f"TemporaryDirectory {root}",
                f"LogFile {root / 'clamd.log'}",
                "Foreground yes",
                "SelfCheck 0",
                "",
            ]
        )
    )
    return config


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start clamd once per test session; yield its socket path."""
    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    if not Path(binary).exists():
        pytest.fail("clamd is not installed: run scripts/system-deps.sh (Debian clamav-daemon)")
    root = tmp_path_factory.mktemp("clamd")
    process = subprocess.Popen(
        [binary, "--config-file", str(_config(root))], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    socket_path = str(root / "clamd.sock")
    client = ClamdUnixSocket(path=socket_path, timeout=5)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            client.ping()
            break
        except ClamdError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "clamd.log").read_text() if (root / "clamd.log").exists() else ""
                process.kill()
                pytest.fail(f"clamd did not start:\n{log[-2000:]}")
            time.sleep(0.2)
    yield socket_path
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def clamd(clamd_socket: str, settings) -> str:  # type: ignore[no-untyped-def]
    """Point the register at the test clamd for one test."""
    settings.CLAMD_ADDRESS = clamd_socket
    return clamd_socket
