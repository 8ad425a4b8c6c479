"""The one-time form token's shape, shared by the form that makes it and the
services and selectors that look it up (brik.core.models.FormSubmission)."""

import hashlib
import hmac
import re
from collections.abc import Iterable

from django.conf import settings

# Brik makes its tokens with secrets.token_urlsafe: URL-safe characters, and never
# more than the 64 its column holds. Anything else (longer, NUL bytes, another
# alphabet) was not made by Brik.
FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def form_token_is_valid(token: object) -> bool:
    return isinstance(token, str) and FORM_TOKEN.fullmatch(token) is not None


# Fields that differ between two renderings of the same form: never part of what was sent.
NOT_INPUT = frozenset({"form_token", "csrfmiddlewaretoken"})


def submission_fingerprint(*, user_id: object, path: str, items: Iterable[tuple[str, str]]) -> str:
    """A keyed digest of one submission of a form: who, where, and every value sent.

    Keyed (HMAC with a key derived from SECRET_KEY), so the stored digest of a
    short input (a date, a choice) cannot be recomputed from guesses by someone
    holding only the database.
    """
    key = hashlib.sha256(b"brik.form-fingerprint:" + settings.SECRET_KEY.encode()).digest()
    body = "\x1e".join(
        f"{name}\x1f{value}" for name, value in sorted(items) if name not in NOT_INPUT
    )
    message = f"{user_id}\x1d{path}\x1d{body}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()
