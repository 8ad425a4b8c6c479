"""Keyed digests of login secrets: what the database keeps instead of the secret.

A session key or a recovery code is stored only as HMAC-SHA256 under
BRIK_SECRET_KEY, which lives in the environment and not in the database. A
copy of the database is therefore no list of working logins: without the
key, a digest can be neither turned back into the secret nor tested against
guesses. Changing BRIK_SECRET_KEY makes every stored digest useless (everyone
logs in again, and recovery codes must be made anew).
"""

from django.utils.crypto import salted_hmac


def keyed_digest(purpose: str, value: str) -> str:
    """64 hex characters; a different purpose gives an unrelated digest of the same value."""
    return salted_hmac(f"brik.accounts.{purpose}", value, algorithm="sha256").hexdigest()


def session_key_digest(session_key: str) -> str:
    return keyed_digest("session", session_key)


def recovery_code_digest(code: str) -> str:
    return keyed_digest("recovery-code", normalise_code(code))


def normalise_code(code: str) -> str:
    """As typed: spaces and case do not matter."""
    return "".join((code or "").split()).lower()
