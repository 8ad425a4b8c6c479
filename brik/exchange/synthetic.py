"""A differentially private synthetic public-use dataset, with its utility report.

The records: one per case decided in the chosen years (the unit of the annual
report's decision tables), over the statistical fields only: year of the
decision, gender, age band at the decision, citizenship group (Denmark, EU,
non-EU, unknown), forms of exploitation (joined, sorted), the decision, and
whether the person left on a prepared return. No code, no date, no place.

pac-synth's DpAggregateSeededSynthesizer counts every combination of up to
three of these attributes with calibrated noise (ε-differential privacy with
the stated δ), and draws synthetic records from those noisy counts only. The
true data are never published: the utility report compares the synthetic data
with the true counts after the annual report's disclosure control has
suppressed small counts (below BRIK_SDC_THRESHOLD), and lists which
combinations were suppressed instead of giving their size.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.cases.models import Case
from brik.core.choices import ReturnStatus
from brik.core.selectors import form_submission_result
from brik.core.services import AlreadySubmitted, form_submission_claim
from brik.exchange.ctdc import country_group
from brik.exchange.mapping import age_band
from brik.exchange.models import SyntheticRelease
from brik.statistics import disclosure
from brik.statistics import years as report_years

ATTRIBUTES = ["year", "gender", "age_band", "citizenship", "forms", "decision", "returned"]
REPORTING_LENGTH = 3
DEFAULT_DELTA = 1e-6
MAX_EPSILON = 20.0
NUMBER_OF_RECORDS_SHARE = 0.1
UNKNOWN = "unknown"
NONE = "none"
TOO_FEW = gettext_lazy(
    "Too few cases for a synthetic dataset at this ε: the noise outweighs the counts. "
    "Choose more years or a larger ε."
)


# --- the true records (never published) --------------------------------------------------


def true_records(years: Sequence[int]) -> list[list[str]]:
    """One record per case decided in `years`: the attributes as text, never empty."""
    cases = Case.objects.filter(decided_on__year__in=list(years), outcome__gt="")
    forms: dict[int, list[str]] = defaultdict(list)
    for pk, form in cases.filter(assessment__forms__form__isnull=False).values_list(
        "pk", "assessment__forms__form"
    ):
        forms[pk].append(form)
    citizenship: dict[int, str] = {}
    for pk, country in (
        cases.filter(person__citizenships__country__isnull=False)
        .order_by("pk", "person__citizenships__pk")
        .values_list("pk", "person__citizenships__country")
    ):
        citizenship.setdefault(pk, country)
    returned = set(cases.filter(returns__status=ReturnStatus.DEPARTED).values_list("pk", flat=True))
    records = []
    for pk, decided_on, gender, birth_year, outcome in cases.order_by("pk").values_list(
        "pk", "decided_on", "person__gender", "person__birth_year", "outcome"
    ):
        age = decided_on.year - birth_year if birth_year else None
        records.append(
            [
                str(decided_on.year),
                gender or UNKNOWN,
                age_band(age) or UNKNOWN,
                country_group(citizenship.get(pk, "")) or UNKNOWN,
                ";".join(sorted(set(forms.get(pk, [])))) or NONE,
                outcome,
                "yes" if pk in returned else "no",
            ]
        )
    return records


# --- the synthesis ----------------------------------------------------------------------------


def synthesize(records: list[list[str]], *, epsilon: float, delta: float) -> list[list[str]]:
    """Synthetic records drawn from ε,δ-DP counts of every 1-, 2- and 3-way combination."""
    from pacsynth import Dataset, DpAggregateSeededParametersBuilder, DpAggregateSeededSynthesizer

    if not records:
        return []
    parameters = (
        DpAggregateSeededParametersBuilder()
        .reporting_length(REPORTING_LENGTH)
        .epsilon(epsilon)
        .delta(delta)
        # pac-synth's default spends 0.5 % of ε on the number of records, whose noise
        # then swamps a centre's few hundred cases; 10 % keeps it in proportion.
        .number_of_records_epsilon_proportion(NUMBER_OF_RECORDS_SHARE)
        .build()
    )
    synthesizer = DpAggregateSeededSynthesizer(parameters)
    try:
        synthesizer.fit(Dataset([ATTRIBUTES, *records]))
        header, *rows = synthesizer.sample()
    except BaseException as error:  # pyo3's PanicException is a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        # With very few records the noise can exceed the count itself.
        raise ValidationError({"years": [TOO_FEW]}) from None
    order = [header.index(name) for name in ATTRIBUTES]
    # pac-synth leaves an attribute empty when it drew no value for it (kept empty:
    # "unknown" is a value of the true data, and this is not it).
    return [[row[i] for i in order] for row in rows]


# --- the utility report --------------------------------------------------------------------


def marginal_counts(records: Iterable[Sequence[str]], attributes: tuple[int, ...]) -> Counter:
    """Records per combination of values of `attributes` (records with one of them empty left out)."""
    counts: Counter = Counter()
    for record in records:
        key = tuple(record[i] for i in attributes)
        if all(key):
            counts[key] += 1
    return counts


def utility_report(
    true: list[list[str]], synthetic: list[list[str]], *, threshold: int
) -> list[dict]:
    """For every 1-, 2- and 3-way marginal: the error of the synthetic counts.

    The true counts are protected as in the annual report: a count from 1 to
    threshold-1 is suppressed, so its cell is left out of the errors and listed
    as suppressed (its size is not given). Errors are absolute differences of
    counts, over every other cell that occurs in the true or the synthetic data
    (a true 0 is a published 0).
    """
    marginals = []
    for length in range(1, REPORTING_LENGTH + 1):
        for attributes in combinations(range(len(ATTRIBUTES)), length):
            truth = marginal_counts(true, attributes)
            drawn = marginal_counts(synthetic, attributes)
            suppressed = sorted(k for k, n in truth.items() if 0 < n < threshold)
            hidden = set(suppressed)
            errors = [
                abs(drawn.get(key, 0) - truth.get(key, 0))
                for key in set(truth) | set(drawn)
                if key not in hidden
            ]
            marginals.append(
                {
                    "attributes": [ATTRIBUTES[i] for i in attributes],
                    "cells_compared": len(errors),
                    "mean_abs_error": round(sum(errors) / len(errors), 3) if errors else 0.0,
                    "max_abs_error": max(errors, default=0),
                    "suppressed": [list(key) for key in suppressed],
                }
            )
    return marginals


def _summary(marginals: list[dict]) -> dict[str, dict]:
    out = {}
    for length in range(1, REPORTING_LENGTH + 1):
        these = [m for m in marginals if len(m["attributes"]) == length]
        out[str(length)] = {
            "marginals": len(these),
            "mean_abs_error": round(sum(m["mean_abs_error"] for m in these) / len(these), 3),
            "max_abs_error": max(m["max_abs_error"] for m in these),
            "suppressed_cells": sum(len(m["suppressed"]) for m in these),
        }
    return out


def markdown(report: dict) -> str:
    """The utility report for people to read."""
    lines = [
        f"# Synthetic public-use dataset {', '.join(str(y) for y in report['years'])}: utility report",
        "",
        f"- Privacy: ε = {report['epsilon']:g}, δ = {report['delta']:g} "
        f"(differential privacy, {report['generator']}).",
        f"- Records: {report['records']:,} synthetic records; attributes: "
        f"{', '.join(report['attributes'])}. {report['records_with_empty_cells']:,} of them "
        "have an empty cell: an attribute the synthesizer drew no value for.",
        f"- True counts protected as in the annual report: counts from 1 to "
        f"{report['threshold'] - 1} are suppressed and not compared.",
        "",
        "Errors are absolute differences between the count of a combination in the "
        "synthetic data and its true (protected) count.",
        "",
        "| Marginals | How many | Mean error | Max error | Suppressed cells |",
        "|---|---|---|---|---|",
    ]
    for length, s in report["summary"].items():
        lines.append(
            f"| {length}-way | {s['marginals']} | {s['mean_abs_error']} | "
            f"{s['max_abs_error']} | {s['suppressed_cells']} |"
        )
    lines += [
        "",
        "## Every marginal",
        "",
        "| Attributes | Cells | Mean error | Max error | Suppressed |",
        "|---|---|---|---|---|",
    ]
    for m in report["marginals"]:
        shown = "; ".join(" × ".join(key) for key in m["suppressed"][:20])
        more = len(m["suppressed"]) - 20
        if more > 0:
            shown += f"; and {more} more (see the JSON report)"
        lines.append(
            f"| {' × '.join(m['attributes'])} | {m['cells_compared']} | {m['mean_abs_error']} "
            f"| {m['max_abs_error']} | {shown or '—'} |"
        )
    return "\n".join(lines) + "\n"


def _csv(rows: list[list[str]]) -> bytes:
    from brik.core.exports import csv_writer

    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(ATTRIBUTES)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def digest(data_csv: bytes, report: dict) -> str:
    content = data_csv + json.dumps(report, sort_keys=True).encode("utf-8")
    return hashlib.sha256(content).hexdigest()


# --- the services --------------------------------------------------------------------------


def _validate(years: Sequence[int], epsilon, delta) -> tuple[list[int], float, float]:
    errors: dict[str, list] = {}
    if not years:
        errors["years"] = [_("Choose at least one year.")]
    for year in years:
        try:
            report_years.validate_ended_year(year)
        except ValidationError as error:
            errors.setdefault("years", []).extend(error.messages)
    if not isinstance(epsilon, int | float) or not 0 < epsilon <= MAX_EPSILON:
        errors["epsilon"] = [
            _("Epsilon must be a number above 0 and at most %(max)s.") % {"max": MAX_EPSILON}
        ]
    if not isinstance(delta, int | float) or not 0 < delta < 1e-3:
        errors["delta"] = [_("Delta must be a number above 0 and below 0.001.")]
    if errors:
        raise ValidationError(errors)
    return sorted(set(years)), float(epsilon), float(delta)


def synthetic_release_make(
    *, actor, years: Sequence[int], epsilon: float, delta: float = DEFAULT_DELTA
) -> SyntheticRelease:
    """Make (and store, unpublished) a synthetic release of `years`; audited."""
    years, epsilon, delta = _validate(years, epsilon, delta)
    true = true_records(years)
    if not true:
        raise ValidationError({"years": [_("No case was decided in these years.")]})
    synthetic = synthesize(true, epsilon=epsilon, delta=delta)
    if not synthetic:
        # Every count was below what the noise allows to be released.
        raise ValidationError({"years": [TOO_FEW]})
    threshold = disclosure.threshold()
    marginals = utility_report(true, synthetic, threshold=threshold)
    report = {
        "years": years,
        "epsilon": epsilon,
        "delta": delta,
        "generator": f"pac-synth {version('pac-synth')} DpAggregateSeededSynthesizer, "
        f"reporting length {REPORTING_LENGTH}",
        "attributes": ATTRIBUTES,
        "records": len(synthetic),
        "records_with_empty_cells": sum(1 for row in synthetic if not all(row)),
        "threshold": threshold,
        "summary": _summary(marginals),
        "marginals": marginals,
    }
    data_csv = _csv(synthetic)
    with transaction.atomic():
        release = SyntheticRelease.objects.create(
            years=years,
            epsilon=epsilon,
            delta=delta,
            records=len(synthetic),
            data_csv=data_csv,
            report=report,
            report_markdown=markdown(report),
            digest=digest(data_csv, report),
            made_by=actor if getattr(actor, "pk", None) else None,
        )
        log_action(
            actor=actor,
            action=AuditEvent.EXCHANGE_SYNTHETIC_MADE,
            obj=release,
            data={"years": years, "epsilon": epsilon, "delta": delta, "records": len(synthetic)},
        )
    return release


def synthetic_release_publish(
    *, actor, release: SyntheticRelease, confirmation: str, form_token: str
) -> SyntheticRelease:
    """Publish a stored release, as confirmed (the digest the confirmation page showed).

    The same rules as the annual report's publication: the confirmation must
    match what is stored, a form token publishes once (AlreadySubmitted for
    the second), and a published release is frozen: it is never published
    again or changed.
    """
    earlier = form_submission_result(token=form_token)
    if earlier is not None:
        raise AlreadySubmitted(earlier or "")
    if confirmation != release.digest:
        raise ValidationError(
            _("The release has changed since the confirmation page was shown. Check it again."),
            code="changed",
        )
    with transaction.atomic():
        form_submission_claim(token=form_token, user=actor)
        locked = SyntheticRelease.objects.select_for_update().get(pk=release.pk)
        if locked.published_at is not None:
            raise ValidationError(_("This release is published already."), code="published")
        if digest(bytes(locked.data_csv), locked.report) != locked.digest:
            raise ValidationError(_("The stored release does not match its digest."))
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.save(update_fields=["published_at", "published_by"])
        log_action(
            actor=actor,
            action=AuditEvent.EXCHANGE_SYNTHETIC_PUBLISHED,
            obj=locked,
            data={"years": locked.years, "epsilon": locked.epsilon, "delta": locked.delta},
        )
    return locked
