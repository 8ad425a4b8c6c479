"""Widgets, fields and helpers shared by the case forms (and the cooperation forms),
and the base of every step form."""

import copy
import html
from functools import cache

import pycountry
from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import Organisation
from brik.accounts.permissions import Ability, users_with
from brik.core.countries import (
    country_choices,
    country_code_for,
    country_name,
    country_search_terms,
    language_choices,
    language_name,
)
from brik.core.forms import TokenForm


class DateInput(forms.DateInput):
    """The browser's own date picker; the value is always ISO (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SuggestionsInput(forms.TextInput):
    """A text input with suggestions the browser offers as one types (a <datalist>):
    any text is still accepted."""

    def __init__(self, suggestions: tuple[str, ...], attrs=None):
        super().__init__(attrs)
        self.suggestions = suggestions

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-suggestions"
        field = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        return field + _datalist(list_id, self.suggestions)


@cache
def _datalist(list_id: str, suggestions: tuple[str, ...]) -> SafeString:
    options = format_html_join("", '<option value="{}"></option>', ((t,) for t in suggestions))
    return format_html('<datalist id="{}">{}</datalist>', list_id, options)


def blank_choice(label):
    return [("", label)]


def _attributes(attrs: dict) -> SafeString:
    """HTML attributes in their order, as django/forms/widgets/attrs.html writes them."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False and value is not None:
            parts.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(parts))  # noqa: S308 (each part escaped by format_html)


# Rendered selects by what their HTML depends on (QuickOptionsMixin._render_key):
# a filter form's pickers are the same on almost every request. Bounded: emptied when full.
_RENDERED: dict[tuple, SafeString] = {}
_RENDERED_MAX = 512


# The choices' (value, label) texts by choices list and language, for the key: a field
# declared with a list of choices gives every form's widget that same list
# (SharedChoicesMixin), and choices are replaced, never changed in place, so its labels
# (lazy translations) are made text once per language instead of on every rendering.
# The list itself is kept with its texts, so that its id cannot be another's while the
# entry lives. Choices made by a callable (the years) or set per form are read each time.
_CHOICE_TEXTS: dict[tuple[int, str | None], tuple[list, tuple | None]] = {}


def _choice_texts(choices, language: str | None) -> tuple | None:
    """The choices as (value, label) texts, or None for grouped choices."""
    if type(choices) is not list:
        return _texts_of(choices)
    kept = _CHOICE_TEXTS.get((id(choices), language))
    if kept is not None and kept[0] is choices:
        return kept[1]
    texts = _texts_of(choices)
    if len(_CHOICE_TEXTS) >= _RENDERED_MAX:
        _CHOICE_TEXTS.clear()
    _CHOICE_TEXTS[(id(choices), language)] = (choices, texts)
    return texts


def _texts_of(choices) -> tuple | None:
    pairs = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None
        pairs.append((str(value), str(label)))
    return tuple(pairs)


class QuickOptionsMixin:
    """Writes its <option>s directly instead of through Django's template per
    option: the same HTML, but a country picker has 250 options and the
    templates made the case list's filter form more than 40 % of the page's time
    (cProfile of /cases/: 2.9 of 6.8 s)."""

    def __deepcopy__(self, memo):
        """Each form copies its fields' widgets. Django's select copies its choices, and
        setting them normalises every option again (a third of making the case list's
        filter form). A form's choices are replaced, never changed in place
        (test_quick_options.py), so the copy shares them: Widget.__deepcopy__ without
        that step."""
        obj = copy.copy(self)
        obj.attrs = self.attrs.copy()  # type: ignore[attr-defined]
        memo[id(self)] = obj
        return obj

    def render(self, name, value, attrs=None, renderer=None):
        key = self._render_key(name, value, attrs)
        if key is None:
            return self._render_options(name, value, attrs)
        html = _RENDERED.get(key)
        if html is None:
            html = self._render_options(name, value, attrs)
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            _RENDERED[key] = html
        return html

    def _render_key(self, name, value, attrs) -> tuple | None:
        """What the HTML depends on: the language, the name, the attributes, the
        value and the choices (as text). None (not kept) for grouped choices and for a
        model field's (reading them is a query of its own)."""
        if isinstance(self.choices, forms.models.ModelChoiceIterator):  # type: ignore[attr-defined]
            return None
        language = get_language()
        choices = _choice_texts(self.choices, language)  # type: ignore[attr-defined]
        if choices is None:
            return None
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        return (
            language,
            type(self),
            name,
            tuple((k, str(v)) for k, v in final.items()),
            tuple(self.format_value(value)),  # type: ignore[attr-defined]
            choices,
        )

    def _render_options(self, name, value, attrs=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("\n".join(parts))  # noqa: S308 (every part is format_html-escaped)


class NormalChoices(BaseChoiceIterator):
    """(value, label) pairs, without groups, as Django normalises choices: set on a field
    or widget they are taken as they are (normalize_choices passes a choice iterator
    through), where a list is normalised option by option on every assignment (twice:
    the field, then its widget)."""

    def __init__(self, pairs: list[tuple]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


class SharedChoicesMixin:
    """A choice field whose copy (one per form made) shares its choices instead of
    copying each option (Django's ChoiceField deep-copies them): the form replaces a
    field's choices, never changes them in place."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)  # type: ignore[type-var]


class QuickChoiceField(SharedChoicesMixin, forms.ChoiceField):
    pass


class QuickTypedChoiceField(SharedChoicesMixin, forms.TypedChoiceField):
    pass


class QuickSelect(QuickOptionsMixin, forms.Select):
    """A plain select, rendered without a template per option."""


class SearchableSelect(QuickOptionsMixin, forms.Select):
    """A select that brik.js turns into a searchable one (tom-select)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-enhance": "select", **(attrs or {})}, choices)


class SearchableSelectMultiple(QuickOptionsMixin, forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-enhance": "select", **(attrs or {})}, choices)


class CountrySelectMixin:
    """Each option carries the country's other names, for the searchable picker
    (Tom Select reads an option's data- attributes): "Burma" finds Myanmar, "Russia" finds Rusland."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(  # type: ignore[misc]
            name, value, label, selected, index, subindex, attrs
        )
        if value:
            option["attrs"]["data-aliases"] = country_search_terms(value)
        return option


class CountrySelect(CountrySelectMixin, SearchableSelect):
    pass


class CountrySelectMultiple(CountrySelectMixin, SearchableSelectMultiple):
    pass


class CountryField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CountrySelect)
        super().__init__(choices=lambda: blank_choice("—") + country_choices(), **kwargs)


class CountriesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CountrySelectMultiple)
        kwargs.setdefault("required", False)
        super().__init__(choices=country_choices, **kwargs)


class ChecklistField(forms.MultipleChoiceField):
    """Checkboxes for a TextChoices class (indicators, forms, means of control)."""

    def __init__(self, choices_class, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=choices_class.choices, **kwargs)


@cache
def _language_names(lang: str) -> dict[str, str]:
    """Lower-cased name → ISO 639-3 code, in the given interface language."""
    return {name.casefold(): code for code, name in language_choices()}


def language_code_for(text: str) -> str | None:
    """An ISO 639-3 code for a code or a language's name (in Danish or English)."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 3 and pycountry.languages.get(alpha_3=text.lower()):
        return text.lower()
    code = _language_names((get_language() or "en").split("-")[0]).get(text.casefold())
    if code:
        return code
    try:
        return pycountry.languages.lookup(text).alpha_3
    except LookupError:
        return None


class CountrySearchInput(forms.TextInput):
    """A text box for a country's name; brik.js turns it into a search (tom-select)
    that asks cases:countries as one types, so the page carries no list of 250
    countries. Without JavaScript, a typed name (in Danish or English) or code works."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "data-enhance": "search",
                "data-multiple": "false",
                "data-url": reverse_lazy("cases:countries"),
                "autocomplete": "off",
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        code = country_code_for(str(value or ""))
        context = super().get_context(name, country_name(code) if code else value, attrs)
        context["widget"]["attrs"]["data-codes"] = code or ""
        return context


class CountrySearchField(forms.Field):
    """One country, typed as a name or a code (see CountrySearchInput): its code."""

    widget = CountrySearchInput
    default_error_messages = {"unknown": _("Unknown country: %(value)s.")}

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return ""
        code = country_code_for(text)
        if code is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return code


class LanguagesWidget(forms.TextInput):
    """A text box for language names; brik.js turns it into a search (tom-select)
    that asks cases:languages. Without JavaScript, typed names or codes work."""

    def __init__(self, attrs=None, multiple=True):
        self.multiple = multiple
        super().__init__(
            {
                "data-enhance": "language",
                "data-multiple": "true" if multiple else "false",
                "data-url": reverse_lazy("cases:languages"),
                "autocomplete": "off",
                **(attrs or {}),
            }
        )

    @staticmethod
    def _codes(value) -> list[str] | None:
        """The codes a value stands for, or None if some part is not a language."""
        if isinstance(value, (list, tuple)):
            return [v for v in value if v]
        codes = [language_code_for(part) for part in str(value or "").split(",") if part.strip()]
        known = [code for code in codes if code is not None]
        return known if len(known) == len(codes) else None

    def get_context(self, name, value, attrs):
        codes = self._codes(value)
        shown = ", ".join(language_name(code) for code in codes) if codes is not None else value
        context = super().get_context(name, shown, attrs)
        context["widget"]["attrs"]["data-codes"] = ",".join(codes or [])
        return context


class LanguagesField(forms.Field):
    """Languages as ISO 639-3 codes, typed as names or codes, comma-separated."""

    default_error_messages = {"unknown": _("Unknown language: %(value)s.")}

    def __init__(self, *, multiple=True, **kwargs):
        self.multiple = multiple
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", LanguagesWidget(multiple=multiple))
        kwargs.setdefault(
            "help_text",
            _("Type a language's name, e.g. Thai or Nigerian Pidgin.")
            if not multiple
            else _("Type languages' names, separated by commas."),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return list(value)
        parts = [p for p in (value or "").split(",") if p.strip()]
        codes = []
        for part in parts:
            code = language_code_for(part)
            if code is None:
                raise forms.ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"value": part.strip()}
                )
            codes.append(code)
        codes = list(dict.fromkeys(codes))
        if not self.multiple and len(codes) > 1:
            raise forms.ValidationError(_("Choose one language."), code="one_language")
        return codes

    def clean(self, value):
        codes = super().clean(value)
        return codes if self.multiple else (codes[0] if codes else "")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def centre_staff():
    """Who can be a case's contact person (the access policy decides)."""
    return users_with(Ability.CASE_CONTACT).order_by("first_name", "last_name", "username")


def organisations(**filters):
    return Organisation.objects.filter(is_active=True, **filters).order_by("name")


def today():
    return timezone.localdate()


# --- steps on a case ------------------------------------------------------------


class CaseActionForm(TokenForm):
    """A step on one case. `case` narrows choices (its interviews, its support)."""

    def __init__(self, *args, case, user=None, **kwargs):
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)


def _template_value(value) -> str:
    """`{{ value|stringformat:'s' }}` in an autoescaped template: str(value), escaped
    unless it is already safe."""
    text = "%s" % (value,)  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else html.escape(text)


class QuickInputMixin:
    """Writes an <input> directly instead of through django/forms/widgets/input.html
    and its attrs.html include: the same HTML (the templates' every branch written
    out, None written as "None" as the template does), without two template renders
    per field on every request of the case list."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts = [
            f'<input type="{_template_value(widget["type"])}" name="{_template_value(widget["name"])}"'
        ]
        if widget["value"] is not None:
            parts.append(f' value="{_template_value(widget["value"])}"')
        for attr, attr_value in widget["attrs"].items():
            if attr_value is False:
                continue
            parts.append(f" {_template_value(attr)}")
            if attr_value is not True:
                parts.append(f'="{_template_value(attr_value)}"')
        parts.append(">")  # the form renderer strips the template's newline
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickCountrySearchInput(QuickInputMixin, CountrySearchInput):
    pass
