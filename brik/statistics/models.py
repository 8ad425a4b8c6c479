"""Published reports (the public files of a year) and subscriptions to news of them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brik.core.models import TimeStampedModel

# The files of a publication (PublishedReport's binary fields), as stored and served.
PUBLISHED_FORMATS = ("pdf", "html", "xlsx")


class PublishedReport(TimeStampedModel):
    """The public, disclosure-controlled report of a year in one language, as files.

    Stored as it was published, so the public page serves exactly what was
    released even if later corrections change the database.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    title = models.CharField(_("title"), max_length=200)
    key_figures = models.JSONField(_("key figures"), default=list)
    summary = models.JSONField(_("summary"), default=list)
    pdf = models.BinaryField(_("PDF"))
    html = models.BinaryField(_("HTML"))
    xlsx = models.BinaryField(_("Excel workbook"))

    class Meta:
        ordering = ["-year", "language"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "language"], name="one_published_report_per_year_and_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class Subscription(TimeStampedModel):
    """Someone who asked for news of new reports (double opt-in by e-mail).

    Consent is the confirmation: `confirmed_at` records when the person clicked
    the link in the e-mail, `consent_text` what they agreed to.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    consent_text = models.TextField(_("consent given"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(unsubscribed_at__isnull=True) | Q(confirmed_at__isnull=False),
                name="only_confirmed_subscriptions_end",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class SubscriptionAttempt(models.Model):
    """One request to subscribe, kept for a day to limit how often anyone can make Brik mail.

    Kept in the database so that every app server counts the same requests.
    Neither the e-mail address nor the client address is stored: only keyed
    hashes of them (brik.statistics.services.subscriptions._limit_key), enough to count.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    address = models.CharField(_("e-mail address (keyed hash)"), max_length=64, db_index=True)
    client = models.CharField(_("client address (keyed hash)"), max_length=64, db_index=True)
    mailed = models.BooleanField(_("confirmation sent"), default=False)

    class Meta:
        verbose_name = _("subscription request")
        verbose_name_plural = _("subscription requests")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class PublishedRelease(TimeStampedModel):
    """A year's publication as figures: the machine-readable release and the frozen cells.

    `document` is the release as open-data users download it (every published
    cell with its suppression marker, in both languages, the methodology note and
    the date the data are from). Once stored it is what every later output shows
    for the year: the year-before column of the next report, the series, and the
    audit of everything public all read it (brik.statistics.frozen).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published_at = models.DateTimeField(_("published"))
    data_as_of = models.DateField(_("data as of"))
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    document = models.JSONField(_("release"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("published release")
        verbose_name_plural = _("published releases")

    def __str__(self) -> str:
        return str(self.year)


class PublishedCell(models.Model):
    """One cell of a published table, frozen: as published, with its suppression mark.

    `value` is what the public saw (null when hidden). `exact` is the count at
    the time of publication, kept for the centre's own audit only (never
    released): the audit needs it to say how close an outsider gets.
    """

    release = models.ForeignKey(PublishedRelease, on_delete=models.CASCADE, related_name="cells")
    table = models.CharField(_("table"), max_length=60)
    row = models.CharField(_("row"), max_length=200)
    column = models.CharField(_("column"), max_length=60)
    key = models.CharField(_("semantic key"), max_length=400)
    value = models.IntegerField(_("published value"), null=True, blank=True)
    exact = models.IntegerField(_("count at publication"))
    mark = models.CharField(_("suppression"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("published cell")
        verbose_name_plural = _("published cells")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "table", "row", "column"], name="one_published_cell"
            ),
            models.CheckConstraint(
                condition=Q(mark="", value__isnull=False) | (~Q(mark="") & Q(value__isnull=True)),
                name="published_cell_hidden_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.release_id} {self.table} {self.row} {self.column}"


class HistoricalFigure(models.Model):
    """A yearly total the centre published before Brik held its cases (its
    series begins in 2007), entered with its source. With them a report may say
    "the highest since 2007"; without them it makes no record claim at all."""

    class Measure(models.TextChoices):
        IDENTIFIED = "identified", _("Persons identified as victims of trafficking")
        RETURNED = "returned", _("Persons helped home by a prepared return")

    measure = models.CharField(_("figure"), max_length=20, choices=Measure.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("published value"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where it was published, e.g. 'Årsrapport 2010, p. 4'."),
    )

    class Meta:
        verbose_name = _("historical figure")
        verbose_name_plural = _("historical figures")
        ordering = ("measure", "year")
        constraints = [
            models.UniqueConstraint(
                fields=("measure", "year"), name="historical_figure_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="historical_figure_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.year}: {self.value}"


FOREWORD_MAX_LENGTH = 4000


class Foreword(TimeStampedModel):
    """The analysts' foreword to a year's report, in Danish and English.

    Editable until the year is published; from then on it is part of the
    publication (the stored files and the release document) and the service
    refuses changes (brik.statistics.services.foreword_save).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    text_da = models.TextField(_("foreword in Danish"), max_length=FOREWORD_MAX_LENGTH, blank=True)
    text_en = models.TextField(_("foreword in English"), max_length=FOREWORD_MAX_LENGTH, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("foreword")
        verbose_name_plural = _("forewords")

    def __str__(self) -> str:
        return f"{self.year}"

    def text(self, language: str) -> str:
        return self.text_da if language == "da" else self.text_en


class Population(models.Model):
    """Denmark's population on 1 January of a year, for rates per 100,000 inhabitants.

    Reference data, entered with its source (Statistics Denmark's table FOLK1A).
    A year without a row has no rates: the report says "not shown" there."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    population = models.PositiveIntegerField(_("population on 1 January"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where it was published, e.g. 'Statistics Denmark, FOLK1A'."),
    )

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("population")
        ordering = ("year",)
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="population_year_plausible",
            ),
            models.CheckConstraint(condition=Q(population__gt=0), name="population_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.population}"


class KeptCount(models.Model):
    """The rows of one of the report's counting queries over every person, kept as the
    data changes (brik.statistics.selectors.stored): the query's rows for each slice of
    persons (KeptCountPart) and their sum here. `seen` is the last PersonChange counted."""

    digest = models.CharField(_("query"), max_length=64, unique=True)
    rows = models.TextField(_("rows"))
    seen = models.BigIntegerField(_("changes counted up to"))
    used_on = models.DateField(_("last used"))

    class Meta:
        verbose_name = _("kept count")
        verbose_name_plural = _("kept counts")

    def __str__(self) -> str:
        return self.digest[:12]


class KeptCountPart(models.Model):
    """A kept query's rows for the persons of one slice (person id // PERSONS_PER_SLICE)."""

    kept = models.ForeignKey(
        KeptCount, on_delete=models.CASCADE, related_name="parts", verbose_name=_("kept count")
    )
    slice = models.IntegerField(_("slice of persons"))
    rows = models.TextField(_("rows"))

    class Meta:
        verbose_name = _("part of a kept count")
        verbose_name_plural = _("parts of kept counts")
        constraints = [
            models.UniqueConstraint(fields=["kept", "slice"], name="keptcountpart_one_per_slice")
        ]

    def __str__(self) -> str:
        return f"{self.kept} {self.slice}"


class PersonChange(models.Model):
    """A slice of persons whose records changed: written by the database's triggers
    (brik.statistics.changes) on every write to a table the report counts from, so that
    no way of writing (a service, the admin, an import, SQL) is missed. -1: every slice."""

    id = models.BigAutoField(primary_key=True)
    slice = models.IntegerField(_("slice of persons"))

    class Meta:
        verbose_name = _("changed slice of persons")
        verbose_name_plural = _("changed slices of persons")

    def __str__(self) -> str:
        return f"{self.id}: {self.slice}"
