"""The analysts' report page, downloads, publishing, and the public reports page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brik.accounts.addresses import client_ip
from brik.accounts.permissions import Ability, can, permission_required
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.cases import presenters as case_presenters
from brik.cases import selectors as case_selectors
from brik.core.forms import apply_service_error
from brik.core.services import AlreadySubmitted
from brik.statistics import exports, selectors, services, years
from brik.statistics.caching import report_cached
from brik.statistics.forms import ForewordForm, PublishForm, ReportChoiceForm, SubscriptionForm
from brik.statistics.models import PUBLISHED_FORMATS, PublishedReport


def client_address(request) -> str:
    """The client's address behind the trusted proxies (for rate limits)."""
    return client_ip(request) or ""


def _plausible_year_or_404(year: int) -> int:
    if not years.is_plausible(year):
        raise Http404
    return year


def _viewed(request, *, year: int, fmt: str, language: str, internal: bool) -> None:
    """Every internal statistics page and download is in the action log."""
    access_record(
        actor=request.user,
        action=AuditEvent.STATISTICS_DOWNLOADED
        if fmt in exports.FORMATS
        else AuditEvent.STATISTICS_VIEWED,
        obj=request.user,
        data={"year": year, "format": fmt, "language": language, "internal": internal},
    )


def _choice(request) -> dict:
    default_year = years.current_year() - 1
    initial = {"year": default_year, "lang": translation.get_language(), "version": "internal"}
    if initial["lang"] not in dict(settings.LANGUAGES):
        initial["lang"] = settings.LANGUAGE_CODE
    form = ReportChoiceForm(request.GET or None, initial=initial)
    if form.is_bound and form.is_valid():
        return {"form": form, **form.cleaned_data}
    # A refused choice keeps its message beside the field; the page shows the default report.
    return {"form": form, **initial}


@permission_required(Ability.STATISTICS_INTERNAL)
def index(request):
    choice = _choice(request)
    internal = choice["version"] == "internal"
    report = report_cached(year=choice["year"], language=choice["lang"], internal=internal)
    _viewed(request, year=choice["year"], fmt="page", language=choice["lang"], internal=internal)
    # The report's own texts (the cells' "not shown", the headers) in its language, as its
    # template draws them ({% language %} in statistics/index.html); the page in the reader's.
    with translation.override(report.language):
        report_parts = exports.report_context(report)
    return render(
        request,
        "statistics/index.html",
        {
            **report_parts,
            "form": choice["form"],
            "choice": choice,
            "can_publish": can(request.user, Ability.STATISTICS_PUBLISH),
            "year_ended": choice["year"] < years.current_year(),
            "published": selectors.published_reports(year=choice["year"]),
            # Corrections of cases that change figures already published (brik.cases).
            "amendments_after_publication": case_presenters.amendment_lines(
                case_selectors.amendments_after_publication()
            )
            if can(request.user, Ability.STATISTICS_PUBLISH)
            else [],
        },
        status=400 if choice["form"].errors else 200,
    )


@permission_required(Ability.STATISTICS_INTERNAL)
def download(request, year: int, fmt: str):
    _plausible_year_or_404(year)
    if fmt not in exports.FORMATS:
        raise Http404
    lang = request.GET.get("lang", translation.get_language())
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    internal = request.GET.get("version", "internal") != "public"
    report = report_cached(year=year, language=lang, internal=internal)
    content, content_type, name = exports.render(report, fmt)
    _viewed(request, year=year, fmt=fmt, language=lang, internal=internal)
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required(Ability.STATISTICS_PUBLISH)
def publish(request, year: int):
    """The confirmation page of a publication (GET), and the confirmed publication (POST).

    Not through submit_once: it runs the service inside its own transaction,
    while report_publish renders the files before its transaction and claims
    the form token itself (brik.statistics.services.publication).
    """
    _plausible_year_or_404(year)
    index_url = f"{reverse('statistics:index')}?{urlencode({'year': year, 'version': 'public'})}"
    form = PublishForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services.report_publish(
                    actor=request.user,
                    year=year,
                    confirmation=form.cleaned_data["confirmation"],
                    form_token=form.cleaned_data["form_token"],
                    base_url=request.build_absolute_uri("/"),
                )
            except AlreadySubmitted:
                messages.info(
                    request, _("This publication had already been sent; it was made once.")
                )
                return redirect(index_url)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request, _("The report for %(year)s is published.") % {"year": year}
                )
                return redirect(index_url)
        status = 422
    errors = list(form.non_field_errors()) if form.is_bound else []
    try:
        publication = services.publication_preview(year=year)
    except ValidationError as error:
        publication, status = None, 400
        errors = [*errors, *error.messages]
    language = translation.get_language()
    _viewed(request, year=year, fmt="publish-preview", language=language, internal=False)
    shown = publication.reports.get(language) if publication else None
    if publication and shown is None:
        shown = next(iter(publication.reports.values()))
    return render(
        request,
        "statistics/publish_confirm.html",
        {
            "year": year,
            "publication": publication,
            "report": shown,
            "languages": [
                str(name)
                for code, name in settings.LANGUAGES
                if publication and code in publication.reports
            ],
            "errors": errors,
            # A fresh token and the digest of the figures on this page.
            "form": PublishForm(initial={"confirmation": publication.confirmation})
            if publication
            else None,
            "index_url": index_url,
        },
        status=status,
    )


def public(request, form: SubscriptionForm | None = None, status: int = 200):
    reports = list(selectors.published_reports())
    language = translation.get_language()
    latest_year = reports[0].year if reports else None
    latest = [r for r in reports if r.year == latest_year]
    featured = next((r for r in latest if r.language == language), latest[0] if latest else None)
    by_year: dict[int, list[PublishedReport]] = {}
    for report in reports:
        by_year.setdefault(report.year, []).append(report)
    return render(
        request,
        "statistics/public.html",
        {
            "featured": featured,
            "years": by_year,
            "form": form or SubscriptionForm(),
            "formats": PUBLISHED_FORMATS,
        },
        status=status,
    )


def public_file(request, year: int, lang: str, fmt: str):
    if fmt not in PUBLISHED_FORMATS or lang not in dict(settings.LANGUAGES):
        raise Http404
    _plausible_year_or_404(year)
    content = selectors.published_file(year=year, language=lang, fmt=fmt)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    name = f"annual-report-{year}-{lang}.{fmt}"
    response["Content-Disposition"] = (
        f'{"inline" if fmt == "html" else "attachment"}; filename="{name}"'
    )
    return response


RELEASE_FORMATS = ("json", "zip")


def public_release(request, year: int, fmt: str):
    """A published year's machine-readable release: one JSON document, or a zip of one
    CSV per table (both from the stored release, so every download is the same bytes)."""
    if fmt not in RELEASE_FORMATS:
        raise Http404
    _plausible_year_or_404(year)
    document = selectors.published_release(year=year)
    if document is None:
        raise Http404
    if fmt == "json":
        content = exports.release_json(document)
        response = HttpResponse(content, content_type="application/json")
    else:
        content = exports.release_csv_zip(document)
        response = HttpResponse(content, content_type=exports.CONTENT_TYPES["zip"])
    response["Content-Disposition"] = f'attachment; filename="statistics-{year}.{fmt}"'
    return response


@require_POST
def subscribe(request):
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return public(request, form=form, status=422)
    try:
        services.subscription_request(
            email=form.cleaned_data["email"],
            language=translation.get_language(),
            base_url=request.build_absolute_uri("/"),
            client=client_address(request),
        )
    except ValidationError as exc:
        limited = exc.code == "rate_limited"
        form.add_error(None if limited else "email", exc)
        return public(request, form=form, status=429 if limited else 422)
    # The same answer whether or not the address was known: no one learns who subscribes.
    return render(request, "statistics/subscription_sent.html")


def _token_page(request, token: str, action, template: str):
    # A GET only shows a button: mail scanners that open links must not confirm or cancel.
    if request.method != "POST":
        return render(request, template, {"token": token, "done": False})
    try:
        action(token=token)
    except ValidationError as exc:
        return render(
            request, template, {"token": token, "error": " ".join(exc.messages)}, status=400
        )
    return render(request, template, {"token": token, "done": True})


def subscription_confirm(request, token: str):
    return _token_page(
        request, token, services.subscription_confirm, "statistics/subscription_confirm.html"
    )


def subscription_cancel(request, token: str):
    return _token_page(
        request, token, services.subscription_cancel, "statistics/subscription_cancel.html"
    )


@require_http_methods(["GET", "POST"])
@permission_required(Ability.STATISTICS_PUBLISH)
def foreword(request, year: int):
    """The analysts' foreword to a year's report, in both languages, until it is published."""
    _plausible_year_or_404(year)
    current = selectors.foreword_of(year=year)
    published = selectors.published_release(year=year) is not None
    initial = {"text_da": current.text_da, "text_en": current.text_en} if current else {}
    form = ForewordForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services.foreword_save(actor=request.user, year=year, **form.cleaned_data)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The foreword for %(year)s is saved.") % {"year": year})
                index_url = reverse("statistics:index")
                return redirect(f"{index_url}?{urlencode({'year': year})}")
        status = 422
    # Every internal statistics page is in the action log.
    _viewed(request, year=year, fmt="foreword", language=translation.get_language(), internal=True)
    return render(
        request,
        "statistics/foreword.html",
        {"form": form, "year": year, "published": published},
        status=status,
    )
