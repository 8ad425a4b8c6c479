"""The auditor's search of the action log: read-only, and itself logged."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from brik.accounts.permissions import Ability, permission_required
from brik.audit import selectors, services
from brik.audit.events import AuditEvent
from brik.audit.forms import ActionLogSearchForm

PAGE_SIZE = 50


@permission_required(Ability.AUDIT_SEARCH)
@require_GET
def search(request):
    form = ActionLogSearchForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    rows = selectors.action_log_search(**filters) if not form.errors else selectors.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # Who searched for what is itself on the record.
    services.access_record(
        actor=request.user,
        action=AuditEvent.AUDIT_SEARCHED,
        obj=request.user,
        data={**filters, "page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "rows": [(entry, selectors.entry_details(entry)) for entry in page.object_list],
            "query": query.urlencode(),
        },
        status=422 if form.errors else 200,
    )
