from django import forms
from django.utils.translation import gettext_lazy as _

from brik.core.forms import TokenForm


class NoteForm(TokenForm):
    fields_fixed = True  # rendered fresh once per language (brik_ui.form_fields)

    text = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        error_messages={"required": _("Write the note.")},
    )


class AttachmentForm(TokenForm):
    fields_fixed = True  # rendered fresh once per language (brik_ui.form_fields)

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG, TIFF, HEIC, Word (DOCX) or OpenDocument (ODT)."),
        error_messages={
            "required": _("Choose a file."),
            "empty": _("The file is empty."),
            "invalid": _("No file was sent; choose it again."),
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.heic,.docx,.odt,application/pdf,image/*"
            }
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=500,
        help_text=_('What the document is, e.g. "Passport, copy" or "Police report".'),
    )


class DeleteForm(TokenForm):
    pass
