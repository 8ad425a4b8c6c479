"""The database as a whole: its key check value and the audit chain's key.

One row (id 1). The key check value tells whether the configured keys are the
ones this database was written with (brik.protection.keycheck). The audit key
signs the chain of the action log (brik.audit.chain); it is random, stored
encrypted with BRIK_ENCRYPTION_KEYS, and re-encrypted by `brik rotate_keys`
like every other encrypted value, so the chain never has to be recomputed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from brik.protection.fields import EncryptedTextField


class Database(models.Model):
    # A known text encrypted with the first key of BRIK_ENCRYPTION_KEYS.
    key_check = EncryptedTextField(_("key check value"), blank=True)
    # HMAC of a known text with BRIK_BLIND_INDEX_KEY (not reversible).
    index_check = models.CharField(_("blind index check value"), max_length=64, blank=True)
    audit_key = EncryptedTextField(_("audit chain key"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("database")
        verbose_name_plural = _("database")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="database_single_row")]

    def __str__(self) -> str:
        return str(_("database"))
