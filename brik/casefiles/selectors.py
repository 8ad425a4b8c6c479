"""Reads of case notes and attachments, each only as far as the access policy reaches."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from brik.accounts.permissions import Ability, can, cases_visible_to, sees_every_case
from brik.casefiles.models import Attachment, CaseNote
from brik.cases.models import Case

if TYPE_CHECKING:
    from brik.accounts.models import User


def notes_visible_to(user: "User") -> QuerySet[CaseNote]:
    """Centre staff: the notes of every case they reach; everyone else (partners too): none."""
    if not can(user, Ability.CASE_NOTES):
        return CaseNote.objects.none()
    # Every case (the policy's sees_every_case): no subquery over the whole case table.
    if sees_every_case(user):
        return CaseNote.objects.all()
    return CaseNote.objects.filter(case__in=cases_visible_to(user))


def attachments_visible_to(user: "User") -> QuerySet[Attachment]:
    if not can(user, Ability.CASE_ATTACHMENTS):
        return Attachment.objects.none()
    if sees_every_case(user):
        return Attachment.objects.all()
    return Attachment.objects.filter(case__in=cases_visible_to(user))


def case_notes(user: "User", case: Case) -> list[CaseNote]:
    """The case's notes for `user`, newest first (one query)."""
    return list(
        notes_visible_to(user)
        .filter(case=case)
        .select_related("author", "corrects__author")
        .order_by("-written_at", "-id")
    )


def case_attachments(user: "User", case: Case) -> list[Attachment]:
    return list(
        attachments_visible_to(user)
        .filter(case=case)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def note_for(user: "User", pk: int) -> CaseNote:
    """One note `user` may read (CaseNote.DoesNotExist otherwise)."""
    return notes_visible_to(user).select_related("case", "author").get(pk=pk)


def attachment_for(user: "User", pk: int) -> Attachment:
    return attachments_visible_to(user).select_related("case").get(pk=pk)


def case_for(user: "User", pk: int) -> Case:
    """A case `user` reaches (Case.DoesNotExist otherwise)."""
    return cases_visible_to(user).get(pk=pk)
