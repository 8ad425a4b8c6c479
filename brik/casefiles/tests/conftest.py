import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

# A tiny synthetic PDF; the marker must never be found on disk in clear.
MARKER = b"SYNTETISK-PAS-Testa-Testesen-0101"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + MARKER + b"\ntrailer\n<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def big_pdf(size: int) -> bytes:
    body = PDF[:-6] + b"%" + (b"A" * 79 + b"\n") * (size // 80 + 1)
    return body + b"%%EOF\n"


@pytest.fixture(autouse=True)
def _in_english():
    """Services' messages are matched in English, whatever an earlier request activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def alice_client(alice):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    return client
