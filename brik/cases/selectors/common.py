"""What every read of cases starts from: who sees which cases, and optional one-to-one rows."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from brik.accounts import permissions
from brik.accounts.models import User
from brik.cases.models import Case

# Lists count their cases up to here and say "1000+" / "more than 1,000" beyond (My work's
# cards, the case list): the number is as useful, and a count then stops after a bounded
# read instead of growing with the data.
COUNT_CAP = 1000


def related_or_none(obj: Model, name: str) -> Any:
    """A reverse one-to-one that may not exist (no assessment yet, no period yet)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases this user may see at all: the access policy decides."""
    return permissions.cases_visible_to(user)
