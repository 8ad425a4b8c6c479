"""What came in from outside (CTDC and HTCDS files) and what went out (exports).

Imported records live here, apart from Brik's own cases: they are other
organisations' statistics, marked with their source and their file, and no
selector of brik.cases or brik.statistics reads them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    CTDC = "ctdc", _("CTDC k-anonymised file")
    HTCDS_CSV = "htcds_csv", _("HTCDS v2 CSV")
    HTCDS_JSON = "htcds_json", _("HTCDS v2 JSON")


class ImportBatch(models.Model):
    """One imported file. The same file (by its SHA-256) is never imported twice."""

    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="file_imported_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.file_name}"


class ExternalRecord(models.Model):
    """One record of an imported file: the statistical fields only.

    Gender is Brik's value (brik.core.choices.Gender); age band, flags and
    countries are kept in CTDC's terms, the rest of the row as it came in `data`.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    row_number = models.PositiveIntegerField(_("row in the file"))
    year = models.PositiveSmallIntegerField(_("year of registration"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True)
    majority_status = models.CharField(_("adult or minor"), max_length=8, blank=True)
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    countries_of_exploitation = models.JSONField(
        _("countries of exploitation"), default=list, blank=True
    )
    exploitation = models.JSONField(_("forms of exploitation (CTDC flags)"), default=dict)
    means_of_control = models.JSONField(_("means of control (CTDC flags)"), default=dict)
    data = models.JSONField(_("the other fields, as they came"), default=dict, blank=True)

    class Meta:
        ordering = ["batch", "row_number"]
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="row_imported_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} #{self.row_number}"


class DataExport(models.Model):
    """One export: what, in which format, with which filter, by whom (audited)."""

    class Kind(models.TextChoices):
        CASES = "cases", _("Case microdata")
        HTCDS = "htcds", _("HTCDS v2")
        CTDC = "ctdc", _("CTDC k-anonymised")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file_format = models.CharField(_("format"), max_length=8)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    with_identity = models.BooleanField(_("with identity columns"), default=False)
    exported_at = models.DateTimeField(_("exported"), auto_now_add=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-exported_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_format}"


class ExportJob(models.Model):
    """A large export, run in the background by `brik run_jobs` (the queue is this table).

    The file is written encrypted (brik.protection.backup_file: AES-256-GCM, its
    key wrapped with BRIK_ENCRYPTION_KEYS) into BRIK_EXPORT_DIR; only the person
    who asked for it may download it, until `expires_at`; `apply_retention` and
    the worker delete expired files.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    export = models.OneToOneField(
        DataExport, verbose_name=_("export"), on_delete=models.PROTECT, related_name="job"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("download expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file_name = models.CharField(_("file (encrypted)"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        indexes = [models.Index(fields=["status", "requested_at"], name="export_job_queue")]

    def __str__(self) -> str:
        return f"{self.export} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)


class SyntheticRelease(models.Model):
    """A differentially private synthetic public-use dataset and its utility report, frozen.

    Made once (`brik synthetic_release` or the analysts' page) and stored as it
    was made: the data, the report, ε and δ. Publishing it (after the same
    confirmation as the annual report) makes it public; it never changes after.
    """

    years = models.JSONField(_("years"))
    epsilon = models.FloatField(_("epsilon (ε)"))
    delta = models.FloatField(_("delta (δ)"))
    records = models.PositiveIntegerField(_("synthetic records"))
    data_csv = models.BinaryField(_("synthetic data (CSV)"))
    report = models.JSONField(_("utility report"))
    report_markdown = models.TextField(_("utility report (Markdown)"))
    digest = models.CharField(_("SHA-256 of the data and the report"), max_length=64)
    made_at = models.DateTimeField(_("made"), auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("synthetic release")
        verbose_name_plural = _("synthetic releases")

    def __str__(self) -> str:
        years = ", ".join(str(y) for y in self.years)
        return f"{years} (ε={self.epsilon:g})"
