"""The search tokens: keyed, truncated blind indexes of a person's names, date of
birth and phone number (brik.search.tokens computes them; docs/search.md says
what they reveal)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenKind(models.IntegerChoices):
    WORD = 1, _("name word")
    PHONETIC = 2, _("phonetic key")
    GRAM = 3, _("character n-gram")
    BIRTH_DATE = 4, _("date of birth")
    BIRTH_YEAR = 5, _("year of birth")
    PHONE = 6, _("phone number")


class PersonSearchToken(models.Model):
    """One token of one person: (kind, value) where value is a truncated HMAC.

    Deleted with the person (cascade) and when the identity is dropped under
    the retention policy; rebuilt by `brik reindex_search` and
    `brik rotate_keys --reindex`.
    """

    # The unique constraint's index (person first) serves the cascade; no second one.
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.PositiveSmallIntegerField(choices=TokenKind.choices)
    value = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("search token")
        verbose_name_plural = _("search tokens")
        indexes = [
            # The search reads (kind, value) and groups by person from the index alone.
            models.Index(fields=["kind", "value", "person"], name="search_token_lookup_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "value"], name="search_token_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}"
