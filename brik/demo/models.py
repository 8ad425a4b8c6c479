"""What the demo made: the marks that let `brik demo` tell demo data from anyone else's."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoRecord(models.Model):
    """One organisation, login, person, case or cooperation record made by `brik demo`.

    `brik demo` refuses to run on a database holding any record of those kinds
    without such a mark, and `brik demo --flush` deletes only marked data.
    """

    model = models.CharField(_("kind of record"), max_length=100)  # app_label.model_name
    object_id = models.BigIntegerField(_("record id"))
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo record")
        verbose_name_plural = _("demo records")
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="one_mark_per_demo_record")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"
