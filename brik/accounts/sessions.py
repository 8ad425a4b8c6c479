"""Brik's session engine (SESSION_ENGINE): Django's database sessions, keys kept as digests.

The cookie carries the session key; the row (brik.accounts.models.Session) is
stored under its keyed digest (brik.accounts.digests), so a copy of the
database holds no key that could be put in a cookie. Each row also records
whose session it is, so that a password change or a reset of the second
factor ends all of that person's sessions in one statement (`end_sessions`).

A login ends after SESSION_COOKIE_AGE seconds without a request. Instead of
writing the session on every request, the time of the last write is kept in
the session and the session is written again only when that is a minute or
more ago: reading pages costs no write, and the expiry still moves with use.
Sessions stay in the database, so several app servers share them.
"""

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from brik.accounts.digests import session_key_digest
from brik.core.kept import kept_get

# Seconds since the epoch at the last write of the session.
LAST_WRITTEN = "_brik_last_written"
# The session is written again (and its expiry moved) at most this often.
RENEW_AFTER = 60


if TYPE_CHECKING:
    from brik.accounts.models import Session

    # The type checker reads the store as generic in its model; Django's class is not.
    _Store = DatabaseSessionStore[Session]
else:
    _Store = DatabaseSessionStore


class SessionStore(_Store):
    @classmethod
    def get_model_class(cls) -> "type[Session]":
        from brik.accounts.models import Session

        return Session

    # --- reading ------------------------------------------------------------------

    def _get_session_from_db(self):
        if self.session_key is None:
            return None
        try:
            # By its key alone, with the query's SQL compiled once (brik.core.kept): the
            # row is read on every request. An expired row is no session.
            session = kept_get(
                "the session",
                self.model,
                lambda digest: self.model.objects.filter(session_key=digest),
                session_key_digest(self.session_key),
            )
            if session.expire_date > timezone.now():
                return session
        except (self.model.DoesNotExist, SuspiciousOperation):
            pass
        self._session_key = None
        return None

    async def _aget_session_from_db(self):
        if self.session_key is None:
            return None
        try:
            return await self.model.objects.aget(
                session_key=session_key_digest(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None
            return None

    def load(self):
        return self._check_activity(super().load())

    async def aload(self):
        return self._check_activity(await super().aload())

    def _check_activity(self, data: dict) -> dict:
        if not data:
            return data
        written = data.get(LAST_WRITTEN)
        if written is None:
            # A session from before this engine: its row's expiry has the say.
            self.modified = True
            return data
        idle = time.time() - written
        if idle > settings.SESSION_COOKIE_AGE:
            # Idle too long; the row's own expiry says the same, this is the belt.
            self._session_key = None
            return {}
        if idle >= RENEW_AFTER:
            self.modified = True  # SessionMiddleware writes it at the end of the request
        return data

    def exists(self, session_key):
        return self.model.objects.filter(session_key=session_key_digest(session_key)).exists()

    async def aexists(self, session_key):
        return await self.model.objects.filter(
            session_key=session_key_digest(session_key)
        ).aexists()

    # --- writing ------------------------------------------------------------------

    def create_model_instance(self, data):
        data[LAST_WRITTEN] = int(time.time())
        return self.model(
            # SessionBase._get_or_create_session_key: Django's own helper, left out of its stubs.
            session_key=session_key_digest(self._get_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
            user_id=_user_id(data),
        )

    async def acreate_model_instance(self, data):
        data[LAST_WRITTEN] = int(time.time())
        return self.model(
            session_key=session_key_digest(await self._aget_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=await self.aget_expiry_date(),
            user_id=_user_id(data),
        )

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=session_key_digest(session_key)).delete()

    async def adelete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        await self.model.objects.filter(session_key=session_key_digest(session_key)).adelete()


def _user_id(data: dict) -> int | None:
    value = str(data.get(SESSION_KEY, ""))
    return int(value) if value.isdigit() else None


def end_sessions(*, user) -> int:
    """End every session of `user` (they log in again); returns how many were open."""
    from brik.accounts.models import Session

    deleted, _by_model = Session.objects.filter(user_id=user.pk).delete()
    return deleted
