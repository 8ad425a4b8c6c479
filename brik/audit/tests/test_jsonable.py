"""jsonable's shortcut for the usual exact types gives what the isinstance chain gave;
a NUL character, which PostgreSQL's JSON cannot hold, is stored as U+FFFD on every
database."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from brik.audit.chain import chain_verify
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.audit.services import NUL_STORED_AS, jsonable, log_action


class Colour(models.TextChoices):
    RED = "red", "Red"


def _isinstance_chain(value: Any) -> Any:
    """jsonable as it was before the shortcut (with NUL characters replaced)."""
    if isinstance(value, str):
        return value.replace("\x00", NUL_STORED_AS) if "\x00" in value else value
    if isinstance(value, dict):
        return {_isinstance_chain(k): _isinstance_chain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_isinstance_chain(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.dates()
    | st.decimals(allow_nan=False)
    | st.sampled_from(Colour)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(values)
def test_the_shortcut_gives_what_the_isinstance_chain_gave(value):
    got, expected = jsonable(value), _isinstance_chain(value)
    assert got == expected
    assert type(got) is type(expected)


def test_the_comparison_sees_a_changed_type():
    assert jsonable(Colour.RED) is Colour.RED  # a text choice stays itself, as before
    assert jsonable(dt.date(2021, 3, 1)) == "2021-03-01"
    assert jsonable(Decimal("1.50")) == "1.50"
    assert type(jsonable(True)) is bool
    assert type(_isinstance_chain(Colour.RED)) is not str


@pytest.mark.django_db
def test_a_nul_character_is_stored_and_the_chain_holds(alice):
    """A search for a NUL character (the admin's audit log search) is recorded."""
    log_action(
        actor=alice,
        action=AuditEvent.AUDIT_SEARCHED,
        obj=alice,
        data={"filters": {"q": ["a\x00b"], "c\x00": "d"}},
    )
    row = ActionLog.objects.order_by("-sequence").first()
    assert row.data == {"filters": {"q": ["a\ufffdb"], "c\ufffd": "d"}}
    assert chain_verify().ok
