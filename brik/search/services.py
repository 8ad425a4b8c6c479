"""Keeping the search tokens in step with the identities they are computed from.

Callers: the referral service (a new person), the importers, the demo writer
(in bulk), retention (an identity dropped), `brik reindex_search` and
`brik rotate_keys --reindex` (every token again, under the current key).
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.cases.models import Person, PersonIdentity
from brik.protection.keycheck import database_row_ensure
from brik.search import tokens as t
from brik.search.models import PersonSearchToken


def identity_tokens(identity: PersonIdentity) -> set[t.Token]:
    """The tokens of one identity (decrypted values, as the model holds them), with
    the person's year of birth when the date is not known."""
    return t.person_tokens(
        given_names=identity.given_names,
        family_name=identity.family_name,
        aliases=identity.aliases,
        date_of_birth=identity.date_of_birth,
        phone=identity.phone,
        birth_year=identity.person.birth_year,
    )


def token_rows(identities: Iterable[PersonIdentity]) -> list[PersonSearchToken]:
    """Unsaved token rows of the given identities (their persons must have ids)."""
    return [
        PersonSearchToken(person_id=identity.person_id, kind=tok.kind, value=tok.value)
        for identity in identities
        for tok in identity_tokens(identity)
    ]


def person_tokens_update(identity: PersonIdentity) -> int:
    """Replace one person's tokens after their names, aliases, date of birth or
    phone number changed. Call inside the caller's transaction."""
    PersonSearchToken.objects.filter(person_id=identity.person_id).delete()
    return len(PersonSearchToken.objects.bulk_create(token_rows([identity])))


def person_tokens_delete(person: Person) -> None:
    """Drop a person's tokens (their identity was dropped under the retention policy)."""
    PersonSearchToken.objects.filter(person=person).delete()


def search_tokens_rebuild(
    *, batch_size: int = 1000, on_batch: Callable[[int], None] | None = None
) -> int:
    """Every person's tokens again, with the current key and bit length.

    One transaction per batch of identities (each batch's old tokens deleted and
    new ones written together), so a search during the rebuild finds each person
    under either the old or the new tokens; tokens of persons without an
    identity are removed first. Returns the number of identities indexed.
    """
    PersonSearchToken.objects.exclude(
        person_id__in=PersonIdentity.objects.values("person_id")
    ).delete()
    ids = list(PersonIdentity.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            batch = list(
                PersonIdentity.objects.filter(
                    pk__in=ids[start : start + batch_size]
                ).select_related("person")
            )
            PersonSearchToken.objects.filter(person_id__in=[i.person_id for i in batch]).delete()
            PersonSearchToken.objects.bulk_create(token_rows(batch), batch_size=5000)
        done += len(batch)
        if on_batch:
            on_batch(len(batch))
    with transaction.atomic():
        log_action(
            actor=None,
            action=AuditEvent.SEARCH_REINDEXED,
            obj=database_row_ensure(),
            data={"persons": done, "bits": t.token_bits()},
        )
    return done
