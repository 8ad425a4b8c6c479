"""The landing page, My work, the case list, a partner's referrals, the language box."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from brik.accounts.permissions import (
    Ability,
    can,
    can_enter_admin,
    permission_required,
    referral_outcome_visible,
)
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.cases import forms, selectors

PAGE_SIZE = 50


# --- the landing page -------------------------------------------------------------


@require_GET
def home(request):
    """Send each person to where their day starts."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if can(user, Ability.CASE_MY_WORK):
        return redirect("cases:my_work")
    # NGO outreach workers start with their outreach; police and authorities with
    # where their referrals stand; analysts with the statistics.
    if can(user, Ability.OUTREACH_LOG):
        return redirect("cooperation:outreach")
    if can(user, Ability.REFERRAL_STATUS):
        return redirect("cases:referrals")
    if can(user, Ability.STATISTICS_INTERNAL):
        return redirect("statistics:index")
    if can(user, Ability.CASE_LIST):
        return redirect("cases:list")
    if can(user, Ability.AUDIT_SEARCH):
        return redirect("audit:search")
    if can_enter_admin(user):
        return redirect("admin:index")
    return render(request, "cases/no_role.html", status=403)


# --- My work ---------------------------------------------------------------------------


@permission_required(Ability.CASE_MY_WORK)
@require_GET
def my_work(request):
    form = forms.MyWorkForm(request.GET or None)
    chosen = form.choices_made() if form.is_bound else {}
    work = selectors.my_work(
        user=request.user,
        scope=chosen.get("scope", "mine"),
        sort=chosen.get("sort", "urgency"),
        status=chosen.get("status", ""),
        urgency=chosen.get("urgency", ""),
        pages={key: request.GET.get(f"{key}_page") for key in selectors.MY_WORK_LISTS},
    )
    return render(
        request,
        "cases/my_work.html",
        {
            "work": work,
            "form": form,
            "can_see_team_load": can(request.user, Ability.CASE_TEAM_LOAD),
        },
    )


# --- the case list -----------------------------------------------------------------------


@permission_required(Ability.CASE_LIST)
@require_GET
def case_list(request):
    form = forms.CaseFilterForm(
        request.GET or None, choice_pairs=selectors.case_list_filter_choices()
    )
    filters, sort = {}, "-referred"
    if form.is_bound and form.is_valid():
        filters, sort = form.filters(), form.sort_key()
    page = selectors.case_list_page(
        user=request.user,
        filters=filters,
        order_by=forms.SORTS[sort],
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "query": query.urlencode(),
            "filtered": bool(filters),
            "columns": _sortable_columns(sort),
            "can_open_cases": can(request.user, Ability.CASE_VIEW),
        },
    )


def _sortable_columns(sort: str) -> dict:
    """For each sortable column: the sort its header link sets, and aria-sort now."""
    columns = {}
    for key in ("code", "referred", "decided", "status"):
        if sort == key:
            columns[key] = {"next": f"-{key}", "aria": "ascending"}
        elif sort == f"-{key}":
            columns[key] = {"next": key, "aria": "descending"}
        else:
            columns[key] = {"next": key if key in ("code", "status") else f"-{key}", "aria": "none"}
    return columns


# --- a partner's own referrals -------------------------------------------------------------


@permission_required(Ability.REFERRAL_STATUS)
@require_GET
def partner_referrals(request):
    page = selectors.partner_referrals_page(
        user=request.user, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    # Without the person's consent to sharing, only that the referral was received;
    # with it, the status, the decision and the person's initials (a read, audited).
    rows = []
    for case in page.object_list:
        shared = referral_outcome_visible(request.user, case)
        initials = _initials(case) if shared else ""
        if initials:
            access_record(
                actor=request.user,
                action=AuditEvent.REFERRAL_INITIALS_VIEWED,
                obj=case,
                case=case,
            )
        rows.append((case, shared, initials))
    return render(request, "cases/partner_referrals.html", {"page": page, "rows": rows})


def _initials(case) -> str:
    """ "A. B." from the person's given and family names; nothing if none are known."""
    identity = selectors.related_or_none(case.person, "identity")
    if identity is None:
        return ""
    words = f"{identity.given_names} {identity.family_name}".split()
    return " ".join(f"{word[0].upper()}." for word in words if word[:1].isalpha())


# --- the searchable language box ---------------------------------------------------------


@permission_required(Ability.REFERRAL_CREATE)
@require_GET
def languages(request):
    return JsonResponse({"results": selectors.language_search(query=request.GET.get("q", ""))})


@permission_required(Ability.CASE_LIST)
@require_GET
def countries(request):
    """The case list's citizenship filter asks for its options as one types."""
    return JsonResponse({"results": selectors.country_search(query=request.GET.get("q", ""))})
