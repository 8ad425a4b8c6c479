"""The one-time form token's shape, shared by the form that makes it and the
services and selectors that look it up (brik.core.models.FormSubmission)."""

import re

# Brik makes its tokens with secrets.token_urlsafe: URL-safe characters, and never
# more than the 64 its column holds. Anything else (longer, NUL bytes, another
# alphabet) was not made by Brik.
FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def form_token_is_valid(token: object) -> bool:
    return isinstance(token, str) and FORM_TOKEN.fullmatch(token) is not None
