"""The data-subject access export as a download from the case page."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from brik.accounts.permissions import Ability, cases_visible_to, permission_required
from brik.protection.subject_access import EXPORT_FORMATS, subject_access_download


@permission_required(Ability.CASE_EXPORT)
@require_GET
def subject_access(request, pk: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    case = cases_visible_to(request.user).select_related("person").filter(pk=pk).first()
    if case is None:
        raise Http404
    content, content_type, name = subject_access_download(
        actor=request.user, person=case.person, fmt=fmt
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
