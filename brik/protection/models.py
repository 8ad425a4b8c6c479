"""The database as a whole: its key check value and the audit chain's key.

One row (id 1). The key check value tells whether the configured keys are the
ones this database was written with (brik.protection.keycheck). The audit key
signs the chain of the action log (brik.audit.chain); it is random, stored
encrypted with BRIK_ENCRYPTION_KEYS, and re-encrypted by `brik rotate_keys`
(last, after every other value), so the chain never has to be recomputed.

Both hold "enc1:<Fernet token>" as brik.protection.crypto.encrypt writes it,
in plain text columns: they are keys, not personal data, and are read only
by the code that checks keys and chains the log, never through the ORM.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Database(models.Model):
    # A known text encrypted with the first key of BRIK_ENCRYPTION_KEYS.
    key_check = models.TextField(_("key check value"), blank=True)
    # HMAC of a known text with BRIK_BLIND_INDEX_KEY (not reversible).
    index_check = models.CharField(_("blind index check value"), max_length=64, blank=True)
    # The action log's HMAC key, encrypted like key_check.
    audit_key = models.TextField(_("audit chain key"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("database")
        verbose_name_plural = _("database")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="database_single_row")]

    def __str__(self) -> str:
        return str(_("database"))
