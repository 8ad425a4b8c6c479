"""Small helpers for Brik's templates: navigation, country and language names."""

import html
import secrets
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django import template
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import capfirst
from django.template.defaultfilters import date as date_filter
from django.template.defaulttags import CsrfTokenNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from brik.accounts.permissions import Ability, abilities, can
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
    if user is None or not user.is_authenticated or _owes_second_factor(request):
        return []
    pages, administration = _nav_links(user)
    items: list[NavItem] = [
        {"url": url, "label": label, "current": _is_current(request.path, url)}
        for url, label in pages
    ]
    # The most specific match wins: /referrals/new/ is not also "My referrals".
    current = [i for i in items if i["current"]]
    if len(current) > 1:
        best = max(current, key=lambda i: len(i["url"]))
        for item in current:
            item["current"] = item is best
    if administration:
        items.append({"url": administration[0], "label": administration[1], "current": False})
    return items


_NAV_LINKS: dict[tuple, tuple[tuple[tuple[str, str], ...], tuple[str, str] | None]] = {}


def _nav_links(user) -> tuple[tuple[tuple[str, str], ...], tuple[str, str] | None]:
    """The menu's (URL, label) of the pages the user may open, and the administration's
    link for staff: the same for everyone with the same abilities, so kept per abilities,
    language, URLconf and script prefix (reversed and translated once, not per page)."""
    from django.conf import settings

    held = abilities(user)
    key = (
        held,
        user.is_staff,
        get_language(),
        get_urlconf(),
        settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    links = _NAV_LINKS.get(key)
    if links is None:
        pages = []
        for name, label, ability in NAVIGATION:
            # can(user, ability) without a record: the ability held.
            if ability not in held:
                continue
            try:
                url = _reversed(name)
            except NoReverseMatch:
                continue
            pages.append((url, str(label)))
        administration = (
            (_reversed("admin:index"), str(_("Administration"))) if user.is_staff else None
        )
        if len(_NAV_LINKS) > 256:
            _NAV_LINKS.clear()
        links = _NAV_LINKS[key] = (tuple(pages), administration)
    return links


def _is_current(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


@register.simple_tag(takes_context=True)
def site_menu(context) -> SafeString:
    """The header's menu of every page (base.html): the pages the reader may open, the
    search box (for those who may list cases), the language switch, and who is logged
    in. Written here rather than by a template: it is on every page, and as a template
    (three loops, two forms, a dozen lookups) it cost about 2 ms of each request's CPU.
    The HTML is what brik/site_menu.html wrote, byte for byte (test_site_menu.py
    renders that template beside this tag)."""
    request = context.get("request")
    user = context.get("user")
    e = conditional_escape
    # The texts first, each in a call of its own: xgettext (`make messages`) does not
    # read calls inside f-strings, and a text it does not find loses its Danish.
    main_menu = e(gettext("Main menu"))
    out = [f'\n<nav aria-label="{main_menu}">\n  <ul class="site-nav">\n    \n    ']
    for item in nav_items(context):
        current = ' aria-current="page"' if item["current"] else ""
        out.append(
            f'\n      <li><a href="{e(item["url"])}"{current}>{e(item["label"])}</a></li>\n    '
        )
    out.append('\n  </ul>\n  <ul class="site-tools">\n    \n    ')
    if _shows_search_box(request):
        match = getattr(request, "resolver_match", None)
        typed = request.GET.get("q", "") if match and match.view_name == "search:results" else ""
        find = e(gettext("Find a person"))
        hint = e(gettext("Name, date of birth, phone or case code"))
        search = e(gettext("Search"))
        out.append(
            f"\n    <li>\n"
            f'      <form action="{e(_reversed("search:results"))}" method="get" role="search" class="header-search">\n'
            f'        <label for="header-search" class="visually-hidden">{find}</label>\n'
            f'        <input type="search" id="header-search" name="q" maxlength="200" autocomplete="off" placeholder="{hint}" value="{e(typed)}">\n'
            f'        <button type="submit" class="secondary">{search}</button>\n'
            f"      </form>\n"
            f"    </li>\n    "
        )
    csrf = CsrfTokenNode().render(context)
    full_path = e(request.get_full_path()) if request is not None else ""
    current_language = get_language()
    language = e(gettext("Language"))
    out.append(
        f"\n    <li>\n"
        f'      <form action="{e(_reversed("set_language"))}" method="post" class="language-switch">\n'
        f"        {csrf}\n"
        f'        <input type="hidden" name="next" value="{full_path}">\n'
        f"        \n        \n"
        f'        <span role="group" aria-label="{language}">\n        '
    )
    for code, _name in settings.LANGUAGES:
        pressed = "true" if code == current_language else "false"
        name = e(capfirst(get_language_info(code)["name_local"]))
        out.append(
            f'\n          <button type="submit" name="language" value="{e(code)}" lang="{e(code)}" '
            f'class="language-button" aria-pressed="{pressed}">{name}</button>\n        '
        )
    out.append("\n        </span>\n      </form>\n    </li>\n    ")
    if user is not None and user.is_authenticated:
        organisation = user.organisation
        at = ""
        if organisation:
            at = f" <small>· {e(organisation.short_name or organisation.name)}</small>"
        tokens = ""
        if not _owes_second_factor(request):
            api_tokens = e(gettext("API tokens"))
            tokens = (
                f'      <li><a href="{e(_reversed("api_tokens:list"))}">{api_tokens}</a></li>\n'
            )
        log_out = e(gettext("Log out"))
        out.append(
            f'\n      <li class="user-name"><span>{e(user.get_full_name() or user.username)}{at}</span></li>\n'
            f"{tokens}"
            f"      <li>\n"
            f'        <form action="{e(_reversed("logout"))}" method="post">\n'
            f"          {csrf}\n"
            f'          <button type="submit" class="link-button">{log_out}</button>\n'
            f"        </form>\n"
            f"      </li>\n    "
        )
    out.append("\n  </ul>\n</nav>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _shows_search_box(request) -> bool:
    """The header's search box: for those who may list cases (and are logged in fully)."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and can(user, Ability.CASE_LIST)
        and not _owes_second_factor(request)
    )


def _owes_second_factor(request) -> bool:
    """Logged in with the password only where a second factor is needed: the menu then
    offers nothing but the language and logging out (every page but the second factor's
    refuses them anyway)."""
    from brik.accounts.middleware import owes_second_factor

    return owes_second_factor(request)


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


# A field's choice labels per language: {(model, field, language): {value: label}}.
# Django's get_FOO_display() rebuilds the field's choices as a dict on every call
# (and hashes each lazy label, one translation lookup each): most of a row's time.
_CHOICE_LABELS: dict[tuple, dict] = {}


def choice_label(model, field_name: str, value) -> str | None:
    """The same text as `obj.get_<field_name>_display()`, from a dict kept per language
    (None for a None that is not a choice, as Django's)."""
    key = (model, field_name, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        field = model._meta.get_field(field_name)
        labels = _CHOICE_LABELS[key] = {k: str(v) for k, v in field.flatchoices}
    label = labels.get(value, value)
    return label if isinstance(label, str) or label is None else str(label)


class _UrlPattern:
    """A URL with an integer `pk`, reversed once and filled in per row
    (reverse() per row cost a tenth of the case list's time)."""

    _MARK = 2_147_483_647

    def __init__(self, name: str, **fixed: str):
        url = reverse(name, kwargs={"pk": self._MARK, **fixed})
        self.head, _, self.tail = url.partition(str(self._MARK))

    def __call__(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


_URL_PATTERNS: dict[tuple, _UrlPattern] = {}


def url_pattern(name: str, **fixed: str) -> _UrlPattern:
    """A kept _UrlPattern (per URLconf and script prefix, as reverse() depends on them)."""
    key = (name, tuple(sorted(fixed.items())), get_urlconf(), get_script_prefix())
    pattern = _URL_PATTERNS.get(key)
    if pattern is None:
        if len(_URL_PATTERNS) > 256:
            _URL_PATTERNS.clear()
        pattern = _URL_PATTERNS[key] = _UrlPattern(name, **fixed)
    return pattern


@register.filter
def case_url(pk: int) -> str:
    """{% url 'cases:detail' pk %} without reversing per row."""
    return url_pattern("cases:detail")(pk)


@register.simple_tag
def case_step_buttons(pk: int, actions) -> SafeString:
    """The case page's step buttons ((name, Step) pairs), written in Python: the same
    HTML as the template loop it replaced, which took about a twelfth of the page's
    rendering (a `{% with %}` and a dozen lookups per button)."""
    return format_html_join(
        "\n",
        '<li><a href="{0}" hx-get="{0}" hx-target="#action-panel" hx-swap="innerHTML" '
        'role="button" class="{1}" data-step="{2}">{3}</a></li>',
        (
            (
                url_pattern("cases:action", action=name)(pk),
                "" if step.primary else "secondary outline",
                name,
                step.title,
            )
            for name, step in actions
        ),
    )


@register.filter
def display(obj, field_name: str) -> str | None:
    """obj.get_<field_name>_display, from choice labels kept per language (choice_label)."""
    if obj is None or obj == "":  # a missing relation, as the template engine reads it
        return ""
    return choice_label(type(obj), field_name, getattr(obj, field_name))


@register.simple_tag
def case_list_rows(cases, can_open_cases: bool) -> SafeString:
    """The case list's table rows (selectors.CaseListRow), written in Python: the
    same HTML as a template loop, which cost most of the page's time at 50 rows
    (two includes, a dozen lookups and two nested loops per row). A label, country
    or date that many rows share is looked up, formatted and escaped once a call
    (dates once a process: _DateFormats)."""
    urgent = format_html(
        ' <span class="urgency urgency-urgent urgent-flag" title="{}">{}</span>',
        _("Urgent according to the screening"),
        _("Urgent"),
    )
    from brik.cases.models import Assessment, Case, ExploitationForm, Person

    detail_url = url_pattern("cases:detail")
    dates = _DateFormats()
    done: dict[tuple, str] = {}

    def label(model, field_name: str, value) -> str:
        key = (model, field_name, value)
        text = done.get(key)
        if text is None:
            text = done[key] = _escaped(choice_label(model, field_name, value))
        return text

    def country(code: str) -> str:
        key = (None, "country", code)
        text = done.get(key)
        if text is None:
            text = done[key] = _escaped(country_name(code))
        return text

    def form_label(form: str) -> str:
        key = (None, "form", form)
        text = done.get(key)
        if text is None:
            text = done[key] = _escaped(choice_label(ExploitationForm, "form", form) or form)
        return text

    rows = []
    for case in cases:
        code = (
            format_html('<a href="{}">{}</a>', detail_url(case.pk), case.code)
            if can_open_cases
            else conditional_escape(case.code)
        )
        authority = (
            label(Assessment, "deciding_authority", case.deciding_authority)
            if case.has_assessment
            else ""
        )
        rows.append(
            _CASE_ROW.format(
                code=code,
                urgent=urgent if case.urgent else "",
                referred=_escaped(dates(case.referred_on, "SHORT_DATE_FORMAT")),
                status=_escaped(case.status),
                status_label=label(Case, "status", case.status),
                decided=_escaped(dates(case.decided_on, "SHORT_DATE_FORMAT")) or "—",
                authority=authority or "—",
                forms=", ".join([form_label(form) for form in case.forms]) or "—",
                citizenships=", ".join([country(c) for c in case.citizenships]) or "—",
                gender=label(Person, "gender", case.gender),
                born=case.birth_year or "—",
                organisation=_escaped(case.organisation),
                contact=_escaped(case.contact or "—"),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


@register.simple_tag
def work_case_rows(cases, assign: bool = False, reassign: bool = False) -> SafeString:
    """My work's case rows (the case tables of my_work_page), written in Python: the
    same HTML as the template loop of cases/_work_cases.html, for the 25 rows of each
    of two lists."""
    from brik.cases.models import Case, Referral

    detail_url = url_pattern("cases:detail")
    assign_url = url_pattern("cases:action", action="case_assign")
    texts = _RowTexts()
    escape = html.escape
    assign_text = _escaped(gettext("Assign"))
    reassign_text = _escaped(gettext("Reassign"))
    rows = []
    for case in cases:
        referral = _related(case, "referral")
        period = _related(case, "reflection_period")
        code = escape(str(case.code))
        contact = ""
        if assign or reassign:
            # As format_html('<span class="visually-hidden"> {}</span>', code) and the
            # links around it: each value escaped.
            hidden_code = f'<span class="visually-hidden"> {code}</span>'
            if case.assigned_to:
                contact = _escaped(staff_name(case.assigned_to))
                if reassign:
                    url = escape(assign_url(case.pk))
                    contact += f' · <a href="{url}">{reassign_text}{hidden_code}</a>'
            else:
                url = escape(assign_url(case.pk))
                contact = f'<a href="{url}">{assign_text}{hidden_code}</a>'
            contact = f"<td>{contact}</td>"
        if referral:
            urgency = texts.value(referral.urgency)
            urgency_label = texts.label(Referral, "urgency", referral.urgency)
        else:
            urgency = urgency_label = ""
        period_ends = texts.day(period.ends_on) if period else "—"
        rows.append(
            "\n    <tr>\n"
            f'      <td><a href="{escape(detail_url(case.pk))}">{code}</a></td>\n'
            f'      <td><span class="status status-{texts.value(case.status)}">'
            f"{texts.label(Case, 'status', case.status)}</span></td>\n"
            f'      <td><span class="urgency urgency-{urgency}">{urgency_label}</span></td>\n'
            f"      <td>{texts.day(case.referred_on)}</td>\n"
            f"      <td>{period_ends}</td>\n"
            f"      {contact}\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is escaped)


def _escaped(value) -> str:
    """conditional_escape() without its lazy-string wrapper (the same text: Django's
    escape() is html.escape(str(value)))."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


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


# --- a fresh form's fields, rendered once ---------------------------------------------------

_FRESH_FORMS: dict[tuple, str] = {}
_TOKEN_MARK = "\x00form-token\x00"  # noqa: S105 (a placeholder, no secret)


@register.simple_tag
def form_fields(form) -> SafeString:
    """brik/form_fields.html for `form`. A form class that says its fields never
    change (`fields_fixed = True`), sent fresh (unbound, no initial value but its
    one-time token), is rendered once per language and prefix and kept; each
    rendering puts its own token in. Any other form is rendered as the include."""
    from django.template.loader import render_to_string

    token = form.initial.get("form_token")
    if (
        not getattr(type(form), "fields_fixed", False)
        or form.is_bound
        or not token
        or set(form.initial) != {"form_token"}
    ):
        return mark_safe(render_to_string("brik/form_fields.html", {"form": form}))  # noqa: S308
    key = (type(form), get_language(), form.prefix, form.auto_id)
    kept = _FRESH_FORMS.get(key)
    if kept is None:
        rendered = render_to_string("brik/form_fields.html", {"form": form})
        value = f'value="{token}"'
        if rendered.count(value) != 1:  # not where it can be swapped: never kept
            return mark_safe(rendered)  # noqa: S308
        kept = _FRESH_FORMS[key] = rendered.replace(value, f'value="{_TOKEN_MARK}"')
    # A token is URL-safe characters only (brik.core.tokens): nothing to escape.
    return mark_safe(kept.replace(_TOKEN_MARK, token))  # noqa: S308


_REVERSED: dict[tuple, str] = {}


def _reversed(name: str) -> str:
    """reverse(name) of a URL without arguments, kept per URLconf and script prefix (the
    menu's six to ten links on every page). A name that does not reverse is not kept."""
    from django.conf import settings

    key = (name, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
    url = _REVERSED.get(key)
    if url is None:
        if len(_REVERSED) > 256:
            _REVERSED.clear()
        url = _REVERSED[key] = reverse(name)
    return url


# --- My work's lists, written in Python (cases/my_work.html) -------------------------------
# Each tag writes what its template loop wrote, byte for byte: the loop's body per row,
# every value escaped as the template engine would (a loop with a dozen lookups and
# filters per row cost most of the page's rendering).


# A day's text per format and language: {(date, format, language): text}. A pure
# function of its key (dates, not datetimes: no time zone), kept across requests.
_DAY_TEXTS: dict[tuple, str] = {}


class _DateFormats:
    """date_filter() for a day, each (day, format, language) formatted once and kept
    (Django's dateformat costs about 0.1 ms a date; My work shows over a hundred)."""

    def __init__(self) -> None:
        self._language = get_language()

    def __call__(self, value, fmt: str) -> str:
        if type(value) is not date:  # a datetime (its time zone) or None: as the filter
            return date_filter(value, fmt)
        key = (value, fmt, self._language)
        text = _DAY_TEXTS.get(key)
        if text is None:
            if len(_DAY_TEXTS) > 20_000:
                _DAY_TEXTS.clear()
            text = _DAY_TEXTS[key] = date_filter(value, fmt)
        return text


class _RowTexts:
    """The texts that many rows of a list share, each looked up, formatted and escaped
    once a call (a tag's call: one language, one time zone): days, day counts, choice
    labels and values. Each is the text the template engine wrote, escaped as it did."""

    def __init__(self) -> None:
        self._dates = _DateFormats()
        self._days: dict = {}
        self._day_counts: dict[int, str] = {}
        self._labels: dict[tuple, str] = {}
        self._values: dict = {}

    def day(self, value) -> str:
        """{{ value|date:"SHORT_DATE_FORMAT" }}"""
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = _escaped(self._dates(value, "SHORT_DATE_FORMAT"))
        return text

    def days(self, days: int) -> str:
        """{% days_phrase days %}"""
        text = self._day_counts.get(days)
        if text is None:
            text = self._day_counts[days] = _escaped(days_phrase(days))
        return text

    def label(self, model, field_name: str, value) -> str:
        """obj.get_<field_name>_display()"""
        key = (model, field_name, value)
        text = self._labels.get(key)
        if text is None:
            text = self._labels[key] = _escaped(choice_label(model, field_name, value))
        return text

    def value(self, value) -> str:
        """{{ value }} of a text many rows share (a status, an urgency)."""
        text = self._values.get(value)
        if text is None:
            text = self._values[value] = _escaped(value)
        return text


# Each tag below writes its rows with f-strings: the loop's body of the template it
# replaced, line by line (str.format with named fields cost more than the rest of a row).


@register.simple_tag
def work_today_items(items) -> SafeString:
    """ "What needs me today" (selectors.my_work.TodayItem)."""
    detail_url = url_pattern("cases:detail")
    texts = _RowTexts()
    rows = []
    for item in items:
        when = ""
        if item.due:
            when = (
                f'<span class="today-when">{texts.day(item.due)} ({texts.days(item.days)})</span>'
            )
        code = _escaped(item.case.code)
        url = html.escape(detail_url(item.case.pk))
        action = texts.value(item.action)
        rows.append(
            f'\n    <li class="{"overdue" if item.overdue else "due-soon"}">\n'
            f'      <span class="today-reason">{texts.value(item.reason)}</span>\n'
            f'      <a href="{url}" class="today-case">{code}</a>\n'
            f"      {when}\n"
            f'      <a href="{_escaped(item.url)}" class="today-action" role="button"'
            f' aria-label="{action}: {code}">{action}</a>\n'
            "    </li>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is escaped)


@register.simple_tag
def work_deadline_rows(deadlines) -> SafeString:
    """The reflection periods ending (selectors.my_work.Deadline)."""
    detail_url = url_pattern("cases:detail")
    texts = _RowTexts()
    rows = []
    for d in deadlines:
        url = html.escape(detail_url(d.case.pk))
        rows.append(
            f'\n      <tr class="{"overdue" if d.days < 0 else "due-soon"}">\n'
            f'        <td><a href="{url}">{_escaped(d.case.code)}</a></td>\n'
            f"        <td>{texts.day(d.due)}</td>\n"
            f"        <td>{texts.days(d.days)}</td>\n"
            f"        <td>{_escaped(staff_name(d.case.assigned_to))}</td>\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is escaped)


@register.simple_tag
def work_follow_up_rows(deadlines) -> SafeString:
    """The follow-ups after return (selectors.my_work.Deadline)."""
    detail_url = url_pattern("cases:detail")
    texts = _RowTexts()
    rows = []
    for d in deadlines:
        url = html.escape(detail_url(d.case.pk))
        note = f"<br><small>{texts.value(d.note)}</small>" if d.note else ""
        rows.append(
            f'\n      <tr class="{"overdue" if d.days < 0 else "due-soon"}">\n'
            f'        <td><a href="{url}">{_escaped(d.case.code)}</a></td>\n'
            f"        <td>{texts.day(d.due)}{note}</td>\n"
            f"        <td>{texts.days(d.days)}</td>\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is escaped)


@register.simple_tag
def work_decision_rows(deadlines) -> SafeString:
    """The decisions pending (selectors.my_work.Deadline)."""
    from brik.cases.models import Case

    detail_url = url_pattern("cases:detail")
    texts = _RowTexts()
    waiting: dict[int, str] = {}
    rows = []
    for d in deadlines:
        # As {% blocktranslate count days=d.days %}: the number escaped, the text not.
        days = waiting.get(d.days)
        if days is None:
            days = waiting[d.days] = ngettext("%(days)s day", "%(days)s days", d.days) % {
                "days": _escaped(d.days)
            }
        url = html.escape(detail_url(d.case.pk))
        status = d.case.status
        rows.append(
            "\n      <tr>\n"
            f'        <td><a href="{url}">{_escaped(d.case.code)}</a></td>\n'
            f"        <td>{texts.day(d.due)}</td>\n"
            f"        <td>{days}</td>\n"
            f'        <td><span class="status status-{texts.value(status)}">'
            f"{texts.label(Case, 'status', status)}</span></td>\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is escaped)


# The time of an interview as each group writes it, escaped: {(moment, group, time zone,
# language): text}. A pure function of its key, kept across requests (bounded).
_MOMENT_TEXTS: dict[tuple, str] = {}


class _InterviewTimes:
    """The time cell of one group's rows (its time as each group's cells wrote it, in
    the current time zone), escaped, each kept in _MOMENT_TEXTS."""

    def __init__(self, group: str) -> None:
        from django.utils.timezone import get_current_timezone

        self._group = group
        self._where = (group, get_current_timezone(), settings.USE_TZ, get_language())

    def __call__(self, planned) -> str:
        key = (planned, *self._where)
        text = _MOMENT_TEXTS.get(key)
        if text is None:
            if len(_MOMENT_TEXTS) > 20_000:
                _MOMENT_TEXTS.clear()
            text = _MOMENT_TEXTS[key] = self._written(planned)
        return text

    def _written(self, planned) -> str:
        from django.template.defaultfilters import time as time_filter
        from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

        local = template_localtime(planned)
        if self._group == "today":
            return _escaped(time_filter(local, "TIME_FORMAT"))
        if self._group == "overdue":
            return _escaped(date_filter(local, "SHORT_DATETIME_FORMAT"))
        return (
            f"{_escaped(date_filter(local, 'D'))} "
            f"{_escaped(date_filter(local, 'SHORT_DATETIME_FORMAT'))}"
        )


@register.simple_tag
def work_interview_rows(interviews, group: str) -> SafeString:
    """One group of the interviews: "overdue", "today" or "week"."""
    detail_url = url_pattern("cases:detail")
    row_class = {"overdue": ' class="overdue"', "today": ' class="due-soon"'}.get(group, "")
    when = _InterviewTimes(group)
    rows = []
    for interview in interviews:
        url = html.escape(detail_url(interview.case.pk))
        rows.append(
            f"\n      <tr{row_class}><td>{when(interview.planned_for)}</td>"
            f'<td><a href="{url}">{_escaped(interview.case.code)}</a></td>'
            f"<td>{_escaped(interview.place or '—')}</td></tr>\n      "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every row is escaped)


@register.simple_tag(takes_context=True)
def work_pager(context, listing, anchor: str, label) -> SafeString:
    """cases/_work_pager.html for one of My work's lists (six on the page), without an
    include each: the same HTML, the trailing line break of the file included."""
    if not (listing.has_previous or listing.has_next):
        return mark_safe("\n")
    anchor = _escaped(anchor)
    previous = next_ = ""
    if listing.has_previous:
        url = _escaped(page_url(context, listing.page_param, listing.previous_page))
        label_previous = _escaped(gettext("Previous"))
        previous = f'<li><a href="{url}#{anchor}" rel="prev">{label_previous}</a></li>'
    if listing.has_next:
        url = _escaped(page_url(context, listing.page_param, listing.next_page))
        label_next = _escaped(gettext("Next"))
        next_ = f'<li><a href="{url}#{anchor}" rel="next">{label_next}</a></li>'
    # As {% blocktranslate %}: the values escaped, the translated text not.
    pages_of = gettext("Pages of %(list)s") % {"list": _escaped(label)}
    page = gettext("Page %(number)s") % {"number": _escaped(listing.page)}
    return mark_safe(  # noqa: S308 (every value escaped)
        f'\n<nav class="pagination" aria-label="{pages_of}">\n  <ul>\n    {previous}\n'
        f'    <li><span aria-current="page">{page}</span></li>\n    {next_}\n  </ul>\n</nav>\n\n'
    )
