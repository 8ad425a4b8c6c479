"""The national referral mechanism: a person, their cases and every step of each.

Statuses and milestone dates on Case are set only by brik.cases.services.
Invariants the database can hold are constraints here; the rest (which step
may follow which) is brik.cases.workflow, applied by the services.

Longer than 400 lines on purpose: the models of one aggregate (a person, their
cases and the rows of each step) and their constraints read best together.
"""

import re

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brik.cases import sort_keys
from brik.core import choices
from brik.core.countries import validate_country_code, validate_country_codes
from brik.core.models import TimeStampedModel
from brik.protection import crypto
from brik.protection.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedTextField,
)

# Every person's code: BRK-<year of the first referral>-<number from 0001>, in capitals
# (written by services.referral and by the demo's planning, nowhere else).
PERSON_CODE_PREFIX = "BRK-"


def codes_starting(text: str, field: str = "code") -> Q:
    """Codes that start with `text` (in capitals, as codes are written). On SQLite a
    range of the codes' unique index, read in order (its LIKE 'x%' is a scan of every
    code: it ignores case, the index does not); on PostgreSQL LIKE 'x%', which is exact
    there, where a range would follow the database's collation, in which "BRK-2021-0001"
    need not lie between "BRK-2021-" and "BRK-2021." (punctuation may count for nothing)."""
    if connection.vendor != "sqlite":
        return Q(**{f"{field}__startswith": text})
    following = text[:-1] + chr(ord(text[-1]) + 1)
    return Q(**{f"{field}__gte": text, f"{field}__lt": following})


def codes_containing(text: str, field: str = "code") -> Q:
    """Codes that contain `text`, in any case: the lists' and the search's code search.
    A text that starts like a code ("BRK-2019-50") can be found only at a code's start,
    so it is that range of the index, not a scan of every code (13 ms -> under 1 ms at
    100,000 persons). Any other part of a code ("2019-50", "0504") is read from the
    codes' trigram index (cases/0020): on PostgreSQL the query below is the one its index
    serves; on SQLite the FTS5 table answers a text of three or more of the characters
    codes are written with. Shorter or other texts compare every code. `field`: "code",
    or "person__code" from a case."""
    text = text.strip()
    upper = text.upper()
    if upper.startswith(PERSON_CODE_PREFIX) and upper.isascii():
        return codes_starting(upper, field)
    if connection.vendor == "sqlite" and _CODE_PART.fullmatch(upper):
        person = "pk" if field == "code" else field.removesuffix("__code") + "_id"
        # A fixed statement; the text is its parameter.
        ids = RawSQL(_TRIGRAM_SEARCH, [f"%{upper}%"])  # noqa: S611
        return Q(**{f"{person}__in": ids})
    return Q(**{f"{field}__icontains": text})


# Three or more of a code's characters (no LIKE wildcard): what SQLite's trigram index finds.
_CODE_PART = re.compile(r"[A-Z0-9-]{3,}")
_TRIGRAM_SEARCH = "SELECT rowid FROM person_code_trigram WHERE code LIKE %s"


class Person(TimeStampedModel):
    """A presumed victim, known in lists only by a pseudonymous code.

    Statistical fields live here; identity fields live in PersonIdentity so that
    they can be protected and dropped on their own.
    """

    code = models.CharField(_("case code"), max_length=20, unique=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=choices.Gender.choices, default=choices.Gender.UNKNOWN
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    languages = models.JSONField(_("languages (ISO 639-3)"), default=list, blank=True)
    anonymised_on = models.DateField(
        _("anonymised"),
        null=True,
        blank=True,
        help_text=_("Identity fields dropped under the retention policy."),
    )
    narratives_dropped_on = models.DateField(
        _("narratives dropped"),
        null=True,
        blank=True,
        help_text=_("Narrative notes dropped under the retention policy."),
    )

    class Meta:
        ordering = ["-code"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="person_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class PersonCitizenship(models.Model):
    """One citizenship (a person may have several); a table so statistics can GROUP BY it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizenships")
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])

    class Meta:
        verbose_name = _("citizenship")
        verbose_name_plural = _("citizenships")
        # By country, with the person: a country's citizens are read from the index
        # alone (the case list filtered by citizenship counts their cases).
        indexes = [models.Index(fields=["country", "person"], name="citizenship_country_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person", "country"], name="citizenship_once"),
            models.CheckConstraint(
                condition=Q(country=Upper("country")), name="citizenship_code_upper_case"
            ),
        ]

    def __str__(self) -> str:
        return self.country


class PersonIdentity(TimeStampedModel):
    """Who the person is. Encrypted at rest; shown only to roles that need it.

    name_index is a keyed blind index of the normalised full name, so exact
    search and duplicate detection work without names in clear text.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity")
    given_names = EncryptedCharField(_("given names"), max_length=200, blank=True)
    family_name = EncryptedCharField(_("family name"), max_length=200, blank=True)
    aliases = EncryptedCharField(_("aliases"), max_length=400, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=50, blank=True)
    email = EncryptedEmailField(_("e-mail"), max_length=254, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    identity_documents = EncryptedTextField(_("identity documents"), blank=True)
    name_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"{self.person.code}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)

    def compute_indexes(self) -> None:
        """Set the blind index from the current names (callers: services, importers)."""
        self.name_index = crypto.blind_index(self.full_name)


class Case(TimeStampedModel):
    """One passage of a person through the mechanism (re-trafficking opens a new one)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    sequence = models.PositiveSmallIntegerField(_("passage"), default=1)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=choices.CaseStatus.choices,
        default=choices.CaseStatus.REFERRED,
    )
    has_legal_residence = models.BooleanField(
        _("legal residence"),
        default=False,
        help_text=_(
            "Persons with legal residence are assessed by the centre; "
            "others by the immigration service."
        ),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        # The index (assigned_to, status) below serves every lookup by contact person;
        # a second index on the column alone made SQLite's planner pick it and read
        # every closed case of a caseworker for My work (22,000 rows at 100,000 persons).
        db_index=False,
    )
    # Milestones, denormalised from the steps by the services so that lists,
    # deadlines and statistics read one row per case.
    referred_on = models.DateField(_("referred"))
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=choices.Outcome.choices, blank=True
    )
    stay_basis = models.CharField(
        _("basis of stay"), max_length=30, choices=choices.StayBasis.choices, blank=True
    )
    stay_from = models.DateField(_("staying from"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=choices.ClosingReason.choices, blank=True
    )
    closing_note = EncryptedTextField(_("closing note"), blank=True)
    # Set by the screening (brik.cases.services.screening_record): the triage said
    # the case is urgent. Lists and My work show it as a flag.
    urgent = models.BooleanField(_("urgent"), default=False)
    # My work's sort keys, stored on the row they sort so that its lists walk an index
    # and stop at the page's end (brik.cases.sort_keys; docs/performance.md, "Third
    # round"). Kept by the services that change their sources: urgency_rank by the
    # referral and the screening (0 urgent, 1 soon, 2 routine), period_ends_on by the
    # start and the extension of the reflection period (its ends_on), the two return_
    # keys by the departure, the follow-ups and the correction of the departure (the
    # departed return's last_contact_on and follow_up_until).
    urgency_rank = models.PositiveSmallIntegerField(
        _("urgency rank"), default=sort_keys.ROUTINE_RANK, editable=False
    )
    period_ends_on = models.DateField(
        _("reflection period ends"), null=True, blank=True, editable=False
    )
    return_last_contact_on = models.DateField(
        _("last contact after the return"), null=True, blank=True, editable=False
    )
    return_follow_up_until = models.DateField(
        _("follow-up after the return until"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The list filtered by a status, in its order (newest first), read from this
            # index without sorting the status's cases (most of them are closed).
            models.Index(fields=["status", "referred_on", "id"], name="case_status_list_idx"),
            models.Index(fields=["referred_on", "id"]),
            models.Index(fields=["decided_on", "outcome"]),
            models.Index(fields=["assigned_to", "status"]),
            # The annual report: identified persons by year read from the index alone.
            models.Index(
                fields=["outcome", "decided_on", "person"], name="case_report_identified_idx"
            ),
            # Whether a person was identified in a given year (the presumed victims'
            # NOT EXISTS): a seek per person, not a scan of every identified case.
            models.Index(
                fields=["person", "outcome", "decided_on"], name="case_person_outcome_idx"
            ),
            # The annual report's closing reasons and stays by year: a range of the
            # index, not a scan of every case (which grows with the years kept).
            models.Index(fields=["closed_on"], name="case_report_closed_idx"),
            models.Index(fields=["stay_from"], name="case_report_stay_idx"),
            # My work's open cases in each of its orders, a contact person's and
            # everyone's: partial indexes on the open cases (about 5 % of the rows),
            # which a query uses when it repeats their condition (sort_keys.OPEN).
            *sort_keys.open_case_indexes(),
            # My work's reflection deadlines, a contact person's and everyone's: the cases
            # in a reflection period by its end (about 1 % of the rows), read up to the
            # warning's day in order instead of looking up the period of each of them.
            models.Index(
                fields=["assigned_to", "period_ends_on", "id"],
                condition=sort_keys.IN_PERIOD,
                name="case_period_mine_idx",
            ),
            models.Index(
                fields=["period_ends_on", "id"],
                condition=sort_keys.IN_PERIOD,
                name="case_period_idx",
            ),
            # My work's follow-ups after a return: the returned cases by their last contact
            # (and the follow-up's end, for the other condition), a contact person's and
            # everyone's, instead of looking up the return of each returned case. The
            # status, the same in every row, lets SQLite read the count from the index
            # alone and prefer it to (contact person, status).
            models.Index(
                fields=[
                    "assigned_to",
                    "status",
                    "return_last_contact_on",
                    "id",
                    "return_follow_up_until",
                ],
                condition=sort_keys.RETURNED,
                name="case_follow_up_mine_idx",
            ),
            models.Index(
                fields=["status", "return_last_contact_on", "id", "return_follow_up_until"],
                condition=sort_keys.RETURNED,
                name="case_follow_up_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status=choices.CaseStatus.CLOSED),
                name="one_open_case_per_person",
                violation_error_message=_("This person already has an open case."),
            ),
            models.UniqueConstraint(fields=["person", "sequence"], name="case_sequence_unique"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("referred_on")),
                name="no_decision_before_referral",
                violation_error_message=_("A decision cannot precede the referral."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("referred_on")),
                name="case_closed_after_referral",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.CaseStatus.CLOSED)
                | (Q(closed_on__isnull=False) & ~Q(closing_reason="")),
                name="closed_case_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, outcome="")
                | Q(decided_on__isnull=False, outcome__in=choices.Outcome.values),
                name="decision_has_date_and_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(choices.CASE_IDENTIFIED))
                | Q(outcome=choices.Outcome.IDENTIFIED),
                name="status_follows_identification",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.CaseStatus.NOT_IDENTIFIED)
                | Q(outcome=choices.Outcome.NOT_IDENTIFIED),
                name="status_follows_non_identification",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.CaseStatus.STAYING)
                | (~Q(stay_basis="") & Q(stay_from__isnull=False)),
                name="staying_case_has_basis_and_date",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def code(self) -> str:
        return self.code_of(self.person.code, self.sequence)

    @staticmethod
    def code_of(person_code: str, sequence: int) -> str:
        """A case's code: the person's code, then /2, /3... for their later cases (the
        lists that read values, not Cases, write it with this too)."""
        return person_code if sequence == 1 else f"{person_code}/{sequence}"

    @property
    def is_open(self) -> bool:
        return self.status != choices.CaseStatus.CLOSED


class Referral(TimeStampedModel):
    """How the case began: who referred the person, when, where and why."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    referring_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("referring organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referred_on = models.DateField(_("referral date"))
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=choices.ReferralChannel.choices,
        default=choices.ReferralChannel.PARTNER,
    )
    police_district = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("police district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"type": choices.OrganisationType.POLICE},
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    # The referring partner's own reference (e.g. a police journal number), so that
    # they can tell their referrals apart on their list without names.
    partner_reference = models.CharField(_("your reference"), max_length=50, blank=True)
    indicators = models.JSONField(_("indicators observed"), default=list, blank=True)
    urgency = models.CharField(
        _("urgency"),
        max_length=10,
        choices=choices.Urgency.choices,
        default=choices.Urgency.ROUTINE,
    )
    interpreter_language = models.CharField(
        _("interpreter language (ISO 639-3)"), max_length=3, blank=True
    )
    consent_to_share = models.BooleanField(_("consent to share data"), default=False)
    joint_action = models.ForeignKey(
        "cooperation.JointAction",
        verbose_name=_("joint authority action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    observations = EncryptedTextField(_("what was observed"), blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case.code} {self.referred_on}"


class Interview(TimeStampedModel):
    """An identification interview, planned and then held (or cancelled)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.InterviewStatus.choices,
        default=choices.InterviewStatus.PLANNED,
    )
    planned_for = models.DateTimeField(_("planned for"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewers"),
        related_name="interviews",
        blank=True,
    )
    interpreter_language = models.CharField(
        _("interpreter language (ISO 639-3)"), max_length=3, blank=True
    )
    indicators = models.JSONField(_("ILO indicators found"), default=list, blank=True)
    dimensions = models.JSONField(_("ILO/EC dimensions found"), default=list, blank=True)
    notes = EncryptedTextField(_("interview notes"), blank=True)
    # My work's sort key (brik.cases.sort_keys): the case's contact person, so that a
    # caseworker's planned interviews are read from an index of their own.
    case_assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person of the case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,  # interview_planned_mine_idx
    )

    class Meta:
        ordering = ["planned_for", "held_on", "id"]
        verbose_name = _("identification interview")
        verbose_name_plural = _("identification interviews")
        # My work: the planned interviews up to the end of the week, in time order, with
        # their case (PostgreSQL reads them from the index alone, not each row).
        indexes = [
            models.Index(
                fields=["status", "planned_for", "id"],
                include=["case"],
                name="interview_planned_idx",
            ),
            # A contact person's planned interviews, in time order (My work's list and
            # count), without reading every open case of theirs.
            models.Index(
                fields=["case_assigned_to", "planned_for", "id"],
                include=["case"],
                condition=Q(status=choices.InterviewStatus.PLANNED),
                name="interview_planned_mine_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=choices.InterviewStatus.HELD) | Q(held_on__isnull=False),
                name="held_interview_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_status_display()}"


class Assessment(TimeStampedModel):
    """The decision: identified as a victim of trafficking, or not."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="assessment")
    decided_on = models.DateField(_("decision date"))
    deciding_authority = models.CharField(
        _("deciding authority"), max_length=20, choices=choices.DecidingAuthority.choices
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=choices.Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sexual_exploitation_type = models.CharField(
        _("type of sexual exploitation"),
        max_length=20,
        choices=choices.SexualExploitationType.choices,
        blank=True,
    )
    labour_sector = models.CharField(
        _("labour sector (ISIC)"), max_length=1, choices=choices.LabourSector.choices, blank=True
    )
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    countries_of_exploitation = models.JSONField(
        _("countries of exploitation"),
        default=list,
        blank=True,
        validators=[validate_country_codes],
    )
    exploitation_from = models.DateField(_("exploitation from"), null=True, blank=True)
    exploitation_to = models.DateField(_("exploitation until"), null=True, blank=True)
    notes = EncryptedTextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(exploitation_from__isnull=True)
                | Q(exploitation_to__isnull=True)
                | Q(exploitation_to__gte=F("exploitation_from")),
                name="exploitation_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_outcome_display()}"

    @property
    def trafficking_status(self) -> str:
        return choices.OUTCOME_STATUS[choices.Outcome(self.outcome)]


class ExploitationForm(models.Model):
    """One form of exploitation found (multi-valued); a table so statistics can GROUP BY it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="forms")
    form = models.CharField(
        _("form of exploitation"), max_length=20, choices=choices.ExploitationForm.choices
    )

    class Meta:
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "form"], name="form_once_per_assessment"),
        ]

    def __str__(self) -> str:
        return self.get_form_display()


class ReflectionPeriod(TimeStampedModel):
    """The departure deadline: 30 days from the start, extendable to at most 120 days."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reflection_period")
    kind = models.CharField(_("kind"), max_length=12, choices=choices.PeriodKind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    # Derived from the dates by the services (ends_on - starts_on); kept as a
    # column so the database itself can refuse a period outside 30..120 days.
    days = models.PositiveSmallIntegerField(_("length in days"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reflection period")
        verbose_name_plural = _("reflection periods")
        indexes = [
            models.Index(fields=["ends_on"]),
            # The annual report's periods by the year they started.
            models.Index(fields=["starts_on"], name="period_report_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=30) & Q(days__lte=120),
                name="reflection_period_30_to_120_days",
                violation_error_message=_("A reflection period lasts from 30 to 120 days."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="reflection_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.starts_on}–{self.ends_on}"


class ReflectionExtension(TimeStampedModel):
    period = models.ForeignKey(
        ReflectionPeriod, on_delete=models.CASCADE, related_name="extensions"
    )
    extended_on = models.DateField(_("decided on"))
    previous_ends_on = models.DateField(_("previous end"))
    new_ends_on = models.DateField(_("new end"))
    reason = models.CharField(_("reason"), max_length=20, choices=choices.ExtensionReason.choices)
    note = EncryptedTextField(_("note"), blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["extended_on", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        # The annual report's extensions by the year they were decided.
        indexes = [models.Index(fields=["extended_on"], name="extension_report_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_ends_on__gt=F("previous_ends_on")), name="extension_moves_end_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.previous_ends_on} → {self.new_ends_on}"


class SupportMeasure(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_measures")
    kind = models.CharField(_("support"), max_length=20, choices=choices.SupportType.choices)
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("support measure")
        verbose_name_plural = _("support measures")
        # The annual report counts support measures by the year they start.
        indexes = [models.Index(fields=["starts_on"], name="support_report_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="support_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PreparedReturn(TimeStampedModel):
    """A prepared return: offered, then accepted or declined; if accepted, the departure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="returns")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.ReturnStatus.choices,
        default=choices.ReturnStatus.OFFERED,
    )
    offered_on = models.DateField(_("offered"))
    accepted_on = models.DateField(_("accepted"), null=True, blank=True)
    declined_on = models.DateField(_("declined"), null=True, blank=True)
    departed_on = models.DateField(_("departed"), null=True, blank=True)
    destination_country = models.CharField(
        _("destination country"), max_length=2, blank=True, validators=[validate_country_code]
    )
    destination_kind = models.CharField(
        _("destination"), max_length=10, choices=choices.DestinationKind.choices, blank=True
    )
    reintegration_partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reintegration partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    plan_allowance = models.BooleanField(_("monthly allowance"), default=False)
    plan_housing = models.BooleanField(_("housing"), default=False)
    plan_income_activity = models.BooleanField(_("income-generating activity"), default=False)
    plan_medical = models.BooleanField(_("medical help"), default=False)
    plan_schooling_self = models.BooleanField(_("schooling for the person"), default=False)
    plan_schooling_children = models.BooleanField(_("schooling for children"), default=False)
    plan_notes = EncryptedTextField(_("reintegration plan"), blank=True)
    follow_up_until = models.DateField(_("follow-up until"), null=True, blank=True)
    # When the case is closed as "return and follow-up completed" before the
    # follow-up has run its course: why it ended early.
    follow_up_end_reason = EncryptedTextField(_("why the follow-up ended early"), blank=True)
    # My work's sort key of the follow-ups due (brik.cases.sort_keys): the latest
    # follow-up's date, or the departure's while there is none. Kept by return_depart,
    # follow_up_add and the correction of the departure date.
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["offered_on", "id"]
        verbose_name = _("prepared return")
        verbose_name_plural = _("prepared returns")
        indexes = [
            models.Index(fields=["departed_on"]),
            # The annual report's returns offered by year.
            models.Index(fields=["offered_on"], name="return_report_offered_idx"),
            # My work's follow-ups: a returned case's departed return, found from the
            # index alone (the unique live return's index needs the row for its status).
            models.Index(
                fields=["case"],
                condition=Q(status=choices.ReturnStatus.DEPARTED),
                name="return_departed_case_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=~Q(status=choices.ReturnStatus.DECLINED),
                name="one_live_return_per_case",
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("offered_on")),
                name="return_accepted_after_offer",
            ),
            models.CheckConstraint(
                condition=Q(declined_on__isnull=True) | Q(declined_on__gte=F("offered_on")),
                name="return_declined_after_offer",
            ),
            models.CheckConstraint(
                condition=Q(departed_on__isnull=True)
                | (Q(accepted_on__isnull=False) & Q(departed_on__gte=F("accepted_on"))),
                name="return_departed_after_acceptance",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.ReturnStatus.DEPARTED) | Q(departed_on__isnull=False),
                name="departed_return_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[choices.ReturnStatus.ACCEPTED, choices.ReturnStatus.DEPARTED]
                )
                | (Q(accepted_on__isnull=False) & ~Q(destination_country="")),
                name="accepted_return_has_date_and_destination",
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.ReturnStatus.DECLINED) | Q(declined_on__isnull=False),
                name="declined_return_has_date",
            ),
            models.CheckConstraint(
                condition=Q(destination_country=Upper("destination_country")),
                name="destination_code_upper_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_status_display()}"


class FollowUp(TimeStampedModel):
    """A reintegration follow-up contact after departure."""

    prepared_return = models.ForeignKey(
        PreparedReturn, on_delete=models.CASCADE, related_name="follow_ups"
    )
    held_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=15, choices=choices.FollowUpStatus.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_status_display()}"


class Screening(TimeStampedModel):
    """The triage of a new referral before the interview (optional; may be repeated)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    screened_on = models.DateField(_("screened on"))
    urgent = models.BooleanField(_("urgent"), default=False)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language (ISO 639-3)"), max_length=3, blank=True
    )
    safe_to_contact = models.CharField(
        _("safe to contact"), max_length=10, choices=choices.SafeToContact.choices
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["screened_on", "id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.case.code} {self.screened_on}"


class Amendment(TimeStampedModel):
    """A correction of a recorded step: which value, from what to what, why, by whom.

    The step's row holds the corrected value (the statistics read it); this row
    keeps the old one, so the history shows both.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="amendments")
    step_type = models.CharField(_("step"), max_length=20)
    step_id = models.PositiveIntegerField(_("step id"))
    field = models.CharField(_("field"), max_length=40)
    old_value = models.JSONField(_("old value"), null=True, blank=True)
    new_value = models.JSONField(_("new value"), null=True, blank=True)
    reason = EncryptedTextField(_("reason"))
    # The years whose figures the correction touches (old and new value's year).
    years = models.JSONField(_("years"), default=list, blank=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.case.code} {self.step_type}.{self.field}"


class Reopening(TimeStampedModel):
    """A closed case opened again, and what its closing was."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reopenings")
    reopened_on = models.DateField(_("reopened on"))
    reason = models.CharField(_("reason"), max_length=20, choices=choices.ReopenReason.choices)
    note = EncryptedTextField(_("note"), blank=True)
    previous_closed_on = models.DateField(_("closed on"))
    previous_closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=choices.ClosingReason.choices
    )
    previous_closing_note = EncryptedTextField(_("closing note"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["reopened_on", "id"]
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")

    def __str__(self) -> str:
        return f"{self.case.code} {self.reopened_on}"
