"""Small helpers for Brik's templates: navigation, country and language names."""

import secrets
from typing import TYPE_CHECKING, TypedDict

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from brik.accounts.permissions import Ability, can
from brik.core.countries import country_name, language_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

# (URL name, label, the ability that opens it: the access policy decides who sees it).
# Pages of apps that are not installed yet are skipped.
NAVIGATION = (
    ("cases:my_work", _("My work"), Ability.CASE_MY_WORK),
    ("cases:referrals", _("My referrals"), Ability.REFERRAL_STATUS),
    ("cases:list", _("Cases"), Ability.CASE_LIST),
    ("cases:refer", _("Register a referral"), Ability.REFERRAL_CREATE),
    ("cooperation:outreach", _("Outreach"), Ability.OUTREACH_LOG),
    ("cooperation:index", _("Cooperation"), Ability.COOPERATION_VIEW),
    ("statistics:index", _("Statistics"), Ability.STATISTICS_INTERNAL),
    ("exchange:synthetic", _("Synthetic dataset"), Ability.STATISTICS_PUBLISH),
    ("audit:search", _("Audit log"), Ability.AUDIT_SEARCH),
)


class NavItem(TypedDict):
    url: str
    label: "StrOrPromise"
    current: bool


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[NavItem]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[NavItem] = []
    for name, label, ability in NAVIGATION:
        if not can(user, ability):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": _is_current(request.path, url)})
    # The most specific match wins: /referrals/new/ is not also "My referrals".
    current = [i for i in items if i["current"]]
    if len(current) > 1:
        best = max(current, key=lambda i: len(i["url"]))
        for item in current:
            item["current"] = item is best
    if user.is_staff:
        items.append(
            {"url": reverse("admin:index"), "label": _("Administration"), "current": False}
        )
    return items


def _is_current(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def language(code: str) -> str:
    return language_name(code)


@register.filter
def widget_kind(bound_field) -> str:
    """checkbox, choices (a group of checkboxes or radios), or input."""
    widget = bound_field.field.widget
    if getattr(widget, "input_type", "") == "checkbox" and not getattr(
        widget, "allow_multiple_selected", False
    ):
        return "checkbox"
    if bound_field.use_fieldset:
        return "choices"
    if widget.__class__.__name__ == "Textarea":
        return "textarea"
    return "input"


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.filter
def staff_name(user, empty: str = "—") -> str:
    """A member of staff's name (never a referred person's), or `empty`."""
    if not user:
        return empty
    return user.get_full_name() or user.username


@register.simple_tag
def form_token() -> str:
    """A fresh one-time token for a small form written out by hand (e.g. an unlink button)."""
    return secrets.token_urlsafe(24)


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """This page's address with one pager (`param`, e.g. "cases_page") set to `number`."""
    query = context["request"].GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag
def session_warning_seconds() -> int:
    from django.conf import settings

    return settings.BRIK_SESSION_WARNING_SECONDS


@register.filter
def event_label(action: str) -> str:
    """An action-log entry's kind in words ("Decision"), never its code (brik.assessment.decided)."""
    from brik.cases.presenters import event_label as label

    return label(action)


# --- the case list's rows -------------------------------------------------------------------

_CASE_ROW = (
    "    <tr>\n"
    "      <td>{code}{urgent}</td>\n"
    "      <td>{referred}</td>\n"
    '      <td><span class="status status-{status}">{status_label}</span>\n</td>\n'
    "      <td>{decided}</td>\n"
    "      <td>{authority}</td>\n"
    "      <td>{forms}</td>\n"
    "      <td>{citizenships}</td>\n"
    "      <td>{gender}</td>\n"
    "      <td>{born}</td>\n"
    "      <td>{organisation}</td>\n"
    "      <td>{contact}</td>\n"
    "    </tr>\n"
)


@register.simple_tag
def case_list_rows(cases, can_open_cases: bool) -> SafeString:
    """The case list's table rows, written in Python: the same HTML as a template
    loop, which cost most of the page's time at 50 rows (two includes, a dozen
    lookups and two nested loops per row)."""
    urgent = format_html(
        ' <span class="urgency urgency-urgent urgent-flag" title="{}">{}</span>',
        _("Urgent according to the screening"),
        _("Urgent"),
    )
    rows = []
    for case in cases:
        assessment = _related(case, "assessment")
        referral = _related(case, "referral")
        organisation = referral.referring_organisation if referral else None
        forms = [f.get_form_display() for f in assessment.forms.all()] if assessment else []
        countries = [country_name(c.country) for c in case.person.citizenships.all()]
        code = (
            format_html('<a href="{}">{}</a>', reverse("cases:detail", args=[case.pk]), case.code)
            if can_open_cases
            else conditional_escape(case.code)
        )
        rows.append(
            format_html(
                _CASE_ROW,
                code=code,
                urgent=urgent if case.urgent else "",
                referred=date_filter(case.referred_on, "SHORT_DATE_FORMAT"),
                status=case.status,
                status_label=case.get_status_display(),
                decided=date_filter(case.decided_on, "SHORT_DATE_FORMAT") or "—",
                authority=(assessment.get_deciding_authority_display() if assessment else "")
                or "—",
                forms=", ".join(forms) or "—",
                citizenships=", ".join(countries) or "—",
                gender=case.person.get_gender_display(),
                born=case.person.birth_year or "—",
                organisation=(organisation.short_name or organisation.name) if organisation else "",
                contact=staff_name(case.assigned_to),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is format_html-escaped)


def _related(obj, name: str):
    """A reverse one-to-one that may be missing (as a template would read it: None)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@register.simple_tag
def days_phrase(days: int) -> str:
    """ "in 3 days", "today" or "2 days ago" (cases/_days.html, without an include per row)."""
    if days > 0:
        return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    if days == 0:
        return gettext("today")
    ago = abs(days)
    return ngettext("%(days)s day ago", "%(days)s days ago", ago) % {"days": ago}
