"""Reads of the shared infrastructure."""

from brik.core.models import FormSubmission
from brik.core.tokens import form_token_is_valid


def form_submission_result(*, token: str) -> str | None:
    """Where the first submission of a form went, if the form was sent before."""
    if not form_token_is_valid(token):
        return None  # never made by Brik, so never sent before
    return FormSubmission.objects.filter(token=token).values_list("result_url", flat=True).first()
