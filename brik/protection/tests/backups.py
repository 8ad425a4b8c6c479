"""Helpers shared by the backup tests."""

from django.db import connection

from brik.audit.models import ActionLog
from brik.cases import services
from brik.cases.models import Case
from brik.testing.factories import referral_kwargs


def refer(actor, organisation, n: int = 3) -> None:
    for i in range(n):
        services.case_refer(
            actor=actor,
            referring_organisation=organisation,
            **referral_kwargs(identity={"given_names": f"Backup{i}", "family_name": "Testperson"}),
        )


def live_snapshot(*, parts: bool = False):
    """Cases, identities (as stored, encrypted) and the action log as they are now."""
    cases = list(
        Case.objects.order_by("pk").values_list("pk", "status", "referred_on", "person__code")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, given_names, family_name FROM cases_personidentity ORDER BY id")
        names = [tuple(row) for row in cursor.fetchall()]
    audit = list(ActionLog.objects.order_by("sequence").values_list("sequence", "row_hash"))
    return (cases, names, audit) if parts else cases + names + audit
