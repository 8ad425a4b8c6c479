"""Work around the cases: joint actions, outreach, prosecution, the action plan."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brik.core import choices
from brik.core.models import TimeStampedModel
from brik.core.validation import MAX_COUNT, latest_plan_year, validate_action_plan_date

# Counts of persons are bounded (brik.core.validation), so the admin's forms and
# full_clean refuse absurd values before the database could overflow.
COUNT = [MaxValueValidator(MAX_COUNT)]
PLAN_YEAR = [MinValueValidator(1900), MaxValueValidator(latest_plan_year)]


class JointAction(TimeStampedModel):
    """A joint authority action (fælles myndighedsaktion)."""

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.JointActionStatus.choices,
        default=choices.JointActionStatus.PLANNED,
    )
    planned_for = models.DateField(_("date"))
    region = models.CharField(_("region"), max_length=20, choices=choices.Region.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=choices.Sector.choices)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="joint_actions_led",
    )
    participants = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("participating organisations"),
        related_name="joint_actions",
    )
    persons_met = models.PositiveIntegerField(
        _("persons met"), null=True, blank=True, validators=COUNT
    )
    persons_referred = models.PositiveIntegerField(
        _("persons referred"), null=True, blank=True, validators=COUNT
    )
    outcome_notes = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-planned_for", "-id"]
        verbose_name = _("joint authority action")
        verbose_name_plural = _("joint authority actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(persons_referred__isnull=True)
                | Q(persons_met__isnull=True)
                | Q(persons_referred__lte=F("persons_met")),
                name="joint_action_referred_not_above_met",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.JointActionStatus.HELD) | Q(persons_met__isnull=False),
                name="held_joint_action_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.planned_for} {self.title}"


class OutreachLog(TimeStampedModel):
    """Anonymous counts from one outreach round by an NGO: never identities."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="outreach_logs",
    )
    held_on = models.DateField(_("date"))
    place_type = models.CharField(_("place"), max_length=20, choices=choices.PlaceType.choices)
    region = models.CharField(_("region"), max_length=20, choices=choices.Region.choices)
    sector = models.CharField(
        _("sector"), max_length=20, choices=choices.Sector.choices, blank=True
    )
    women = models.PositiveIntegerField(_("women"), default=0, validators=COUNT)
    men = models.PositiveIntegerField(_("men"), default=0, validators=COUNT)
    trans = models.PositiveIntegerField(
        _("transgender / non-conforming"), default=0, validators=COUNT
    )
    unknown = models.PositiveIntegerField(_("gender unknown"), default=0, validators=COUNT)
    referrals_made = models.PositiveIntegerField(_("referrals made"), default=0, validators=COUNT)
    note = models.TextField(_("note (no names)"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("outreach log")
        verbose_name_plural = _("outreach logs")
        constraints = [
            models.CheckConstraint(
                condition=Q(referrals_made__lte=F("women") + F("men") + F("trans") + F("unknown")),
                name="outreach_referrals_not_above_contacts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.organisation}"

    @property
    def contacts(self) -> int:
        return self.women + self.men + self.trans + self.unknown


class ProsecutionCase(TimeStampedModel):
    """A police case against traffickers, linked to the victims' cases."""

    police_district = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("police district"),
        on_delete=models.PROTECT,
        related_name="prosecutions",
    )
    police_case_number = models.CharField(_("police case number"), max_length=60, unique=True)
    charges = models.JSONField(_("charges"), default=list, blank=True)
    suspects = models.PositiveSmallIntegerField(_("suspects"), default=1, validators=COUNT)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=choices.ProsecutionStatus.choices,
        default=choices.ProsecutionStatus.INVESTIGATION,
    )
    opened_on = models.DateField(_("opened"))
    charged_on = models.DateField(_("charged"), null=True, blank=True)
    persons_charged = models.PositiveSmallIntegerField(
        _("persons charged"), default=0, validators=COUNT
    )
    verdict_on = models.DateField(_("verdict date"), null=True, blank=True)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=choices.Verdict.choices, blank=True
    )
    persons_convicted = models.PositiveSmallIntegerField(
        _("persons convicted"), default=0, validators=COUNT
    )
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    compensation_dkk = models.DecimalField(
        _("compensation (DKK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    dropped_on = models.DateField(_("dropped"), null=True, blank=True)
    victims = models.ManyToManyField(
        "cases.Case", verbose_name=_("victims' cases"), related_name="prosecutions", blank=True
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("prosecution case")
        verbose_name_plural = _("prosecution cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(charged_on__isnull=True) | Q(charged_on__gte=F("opened_on")),
                name="prosecution_charged_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(verdict_on__isnull=True)
                | (Q(charged_on__isnull=False) & Q(verdict_on__gte=F("charged_on"))),
                name="prosecution_verdict_after_charge",
            ),
            models.CheckConstraint(
                condition=Q(persons_convicted__lte=F("persons_charged")),
                name="prosecution_convicted_not_above_charged",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.ProsecutionStatus.VERDICT)
                | (Q(verdict_on__isnull=False) & ~Q(verdict="")),
                name="prosecution_verdict_has_date_and_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.ProsecutionStatus.DROPPED)
                | Q(dropped_on__isnull=False),
                name="dropped_prosecution_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.police_case_number


class ActionPlan(TimeStampedModel):
    """A national action plan against trafficking (e.g. the 6th, 2022-25)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    starts_year = models.PositiveSmallIntegerField(_("first year"), validators=PLAN_YEAR)
    ends_year = models.PositiveSmallIntegerField(_("last year"), validators=PLAN_YEAR)
    budget_dkk = models.DecimalField(
        _("budget (DKK)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_year__gte=F("starts_year")), name="action_plan_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FocusArea(models.Model):
    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="focus_areas",
        verbose_name=_("action plan"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    # Shown in the English report; the Danish title when empty.
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.title


class Initiative(TimeStampedModel):
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.CASCADE,
        related_name="initiatives",
        verbose_name=_("focus area"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=choices.InitiativeStatus.choices,
        default=choices.InitiativeStatus.PLANNED,
    )

    class Meta:
        ordering = ["focus_area", "id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("initiative"),
    )
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due"), validators=[validate_action_plan_date])
    reached_on = models.DateField(_("reached"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class PlanIndicator(models.Model):
    """A measurable indicator of an initiative, with a target."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("initiative"),
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["initiative", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorMeasurement(models.Model):
    indicator = models.ForeignKey(
        PlanIndicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["measured_on", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="one_measurement_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"
