"""The analysts' report page, downloads, publishing, and the public reports page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brik.accounts.permissions import Ability, can, permission_required
from brik.audit.services import access_record
from brik.statistics import exports, services
from brik.statistics.forms import ReportChoiceForm, SubscriptionForm
from brik.statistics.models import PublishedReport
from brik.statistics.report import report_build

FILE_FIELDS = ("pdf", "html", "xlsx")


def _choice(request) -> dict:
    default_year = timezone.localdate().year - 1
    form = ReportChoiceForm(
        request.GET or None,
        initial={"year": default_year, "lang": translation.get_language(), "version": "internal"},
    )
    if form.is_bound and form.is_valid():
        return {"form": form, **form.cleaned_data}
    return {"form": ReportChoiceForm(initial=form.initial), **form.initial}


@permission_required(Ability.STATISTICS_INTERNAL)
def index(request):
    choice = _choice(request)
    report = report_build(
        year=choice["year"], language=choice["lang"], internal=choice["version"] == "internal"
    )
    return render(
        request,
        "statistics/index.html",
        {
            **exports.report_context(report),
            "form": choice["form"],
            "choice": choice,
            "can_publish": can(request.user, Ability.STATISTICS_PUBLISH),
            "published": PublishedReport.objects.filter(year=choice["year"]).defer(*FILE_FIELDS),
        },
    )


@permission_required(Ability.STATISTICS_INTERNAL)
def download(request, year: int, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    lang = request.GET.get("lang", translation.get_language())
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    internal = request.GET.get("version", "internal") != "public"
    report = report_build(year=year, language=lang, internal=internal)
    content, content_type, name = exports.render(report, fmt)
    access_record(
        actor=request.user,
        action="brik.statistics.downloaded",
        obj=request.user,
        data={"year": year, "format": fmt, "language": lang, "internal": internal},
    )
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@require_POST
@permission_required(Ability.STATISTICS_PUBLISH)
def publish(request, year: int):
    lang = request.POST.get("lang", "")
    try:
        services.report_publish(
            actor=request.user, year=year, language=lang, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report for %(year)s is published.") % {"year": year})
    query = urlencode({"year": year, "lang": lang, "version": "public"})
    return redirect(f"{reverse('statistics:index')}?{query}")


def public(request, form: SubscriptionForm | None = None, status: int = 200):
    reports = list(PublishedReport.objects.defer(*FILE_FIELDS))
    language = translation.get_language()
    latest_year = reports[0].year if reports else None
    latest = [r for r in reports if r.year == latest_year]
    featured = next((r for r in latest if r.language == language), latest[0] if latest else None)
    years: dict[int, list[PublishedReport]] = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    return render(
        request,
        "statistics/public.html",
        {
            "featured": featured,
            "years": years,
            "form": form or SubscriptionForm(),
            "formats": FILE_FIELDS,
        },
        status=status,
    )


def public_file(request, year: int, lang: str, fmt: str):
    if fmt not in FILE_FIELDS:
        raise Http404
    report = (
        PublishedReport.objects.filter(year=year, language=lang)
        .only(fmt, "year", "language")
        .first()
    )
    if report is None:
        raise Http404
    content_type = exports.CONTENT_TYPES[fmt]
    response = HttpResponse(bytes(getattr(report, fmt)), content_type=content_type)
    name = f"annual-report-{year}-{lang}.{fmt}"
    response["Content-Disposition"] = (
        f'{"inline" if fmt == "html" else "attachment"}; filename="{name}"'
    )
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
        )
    except ValidationError as exc:
        form.add_error("email", exc)
        return public(request, form=form, status=422)
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
