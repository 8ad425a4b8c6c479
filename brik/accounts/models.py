from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from brik.core.choices import ORGANISATION_TYPE_CODES, OrganisationType, Region, Role
from brik.core.countries import validate_country_code
from brik.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    """An authority, NGO or partner abroad that holds a piece of the work."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    country = models.CharField(
        _("country"), max_length=2, default="DK", validators=[validate_country_code]
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def htcds_type(self) -> str:
        return ORGANISATION_TYPE_CODES[OrganisationType(self.type)].htcds


class User(AbstractUser):
    """A person who logs in: always of one organisation, with one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(organisation__isnull=False),
                name="user_with_role_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_centre_staff(self) -> bool:
        return self.role in (Role.CASEWORKER, Role.LEAD)

    # Django's admin asks these for every model it shows. For the models in
    # brik.accounts.permissions.ADMIN_MODELS the access policy answers (a
    # superuser too gets no case records without a case role); Django's own
    # permissions answer for everything else.
    def has_perm(self, perm, obj=None) -> bool:
        from brik.accounts.permissions import admin_allows

        app_label, _, codename = perm.partition(".")
        allowed = admin_allows(self, app_label, codename.partition("_")[2])
        if allowed is not None:
            return allowed
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        from brik.accounts.permissions import ADMIN_MODELS, admin_allows_app

        if any(label.startswith(f"{app_label}.") for label in ADMIN_MODELS):
            return admin_allows_app(self, app_label)
        return super().has_module_perms(app_label)
