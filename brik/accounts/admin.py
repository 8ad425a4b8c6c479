"""Organisations and users: reference data that administrators keep in the admin.

Every save goes through brik.accounts.services, so the admin obeys the same
rules as everything else (which role fits which organisation) and each change
is in the action log. The forms run the services' validate_* functions first,
so that a refusal is shown on the page instead of failing on save.
Organisations and users are deactivated, never deleted: the records point at them.

The services guard access to identities (brik.accounts.services): here the
forms ask for the administrator's own two-factor code where a change needs it,
and show a refusal (one's own role, say) on the page instead of failing on save.

Longer than 400 lines on purpose: every admin page of accounts, with the checks
that keep an administrator from giving themselves access, in one place.
"""

from contextvars import ContextVar
from typing import Any, cast

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from brik.accounts import services
from brik.accounts.models import Organisation, User
from brik.audit.admin import WhitelistedFilters
from brik.core.choices import OrganisationType

# django-axes' lockouts: deleting one is an unlock, done through the service so
# that the action log says who lifted it.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(WhitelistedFilters, AxesAccessAttemptAdmin):
    def delete_model(self, request, obj):
        services.lockouts_clear(actor=request.user, attempts=[obj])

    def delete_queryset(self, request, queryset):
        services.lockouts_clear(actor=request.user, attempts=queryset)


# django-axes has no Danish. Its texts, marked here so that `make messages` keeps them in
# Brik's catalogue, which Django reads before any app's (LOCALE_PATHS).
AXES_TEXTS = (
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)


# django-otp's own admin pages show each device's secret key and QR code: an
# administrator must not be able to copy someone's second factor. A lost
# device is reset with the user list's action instead.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


def _adopt(target, created) -> None:
    """Make the admin's unsaved instance stand for the row a service created."""
    for field in type(created)._meta.concrete_fields:
        setattr(target, field.attname, getattr(created, field.attname))
    target._state.adding = False
    target._state.db = created._state.db


# --- organisations ---------------------------------------------------------------------


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = services.ORGANISATION_FIELDS

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        needed = ("name", "type", "country")
        if all(cleaned.get(f) for f in needed):
            try:
                services.validate_organisation(
                    name=cleaned["name"],
                    type=cleaned["type"],
                    country=cleaned["country"],
                    region=cleaned.get("region", ""),
                    current=self.instance if self.instance.pk else None,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(WhitelistedFilters, admin.ModelAdmin):
    audits_own_writes = True  # saved through brik.accounts.services
    form = OrganisationForm
    change_list_template = "admin/accounts/organisation/change_list.html"
    list_display = ("name", "short_name", "type", "region", "country", "is_active")
    list_filter = ("type", "region", "is_active", "country")
    search_fields = ("name", "short_name")
    radio_fields = {"type": admin.VERTICAL}
    fieldsets = (
        (
            None,
            {
                "fields": ("type", "name", "short_name"),
                "description": _(
                    "To add a police district, choose the type “Police district” "
                    "and the region it covers."
                ),
            },
        ),
        (_("Where"), {"fields": ("country", "region")}),
        (_("Status"), {"fields": ("is_active",)}),
    )

    def has_delete_permission(self, request, obj=None):
        # Cases, logs and users point at organisations: deactivate instead.
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "police_type": OrganisationType.POLICE.value,
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in services.ORGANISATION_FIELDS}
        if change:
            changed = {f: values[f] for f in form.changed_data if f in values}
            services.organisation_update(actor=request.user, organisation=obj, **changed)
        else:
            _adopt(obj, services.organisation_create(actor=request.user, **values))


# --- users -----------------------------------------------------------------------------

# The administrator acting in this request, for the password form (Django's
# UserAdmin builds that form without the request).
_acting: ContextVar = ContextVar("brik_admin_acting", default=None)


def second_factor_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your two-factor code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_(
            "Needed when the change gives access to identities: the newest code from "
            "your own authenticator app."
        ),
    )


def _confirm_second_factor(form, actor) -> None:
    """Ask the actor's code once the rest of the form is valid (a code works only once)."""
    code = form.cleaned_data.get("second_factor", "")
    if not code:
        form.add_error(
            "second_factor",
            ValidationError(
                _(
                    "Giving access to identities needs your second factor: "
                    "enter the newest code from your authenticator app."
                ),
                code="second_factor_required",
            ),
        )
    elif not form.errors:
        try:
            form.confirmation = services.second_factor_confirm(actor=actor, code=code)
        except ValidationError as error:
            form.add_error("second_factor", error)


def _check_user(form, current: User | None) -> None:
    cleaned = form.cleaned_data
    if not cleaned.get("username"):
        return
    try:
        services.validate_user(
            username=cleaned["username"],
            organisation=cleaned.get("organisation"),
            role=cleaned.get("role", ""),
            current=current,
        )
        if current is not None:
            services.validate_own_access(actor=form.actor, user=current, fields=form.changed_data)
    except ValidationError as error:
        form.add_error(None, error)
        return
    given = services.identity_access_given(
        current=current, role=cleaned.get("role", ""), is_active=cleaned.get("is_active", True)
    )
    if given and form.actor is not None:
        _confirm_second_factor(form, form.actor)


class UserCreationForm(AdminUserCreationForm):
    actor = None  # set per request by BrikUserAdmin.get_form
    confirmation = ""
    second_factor = second_factor_field()

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "organisation", "role")

    def clean(self):
        cleaned = super().clean()
        _check_user(self, current=None)
        return cleaned


class UserEditForm(UserChangeForm):
    actor = None  # set per request by BrikUserAdmin.get_form
    confirmation = ""
    second_factor = second_factor_field()

    class Meta(UserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        # clean() runs before the form copies its values onto the instance,
        # so self.instance still holds the saved values here.
        _check_user(self, current=self.instance)
        return cleaned


class PasswordForm(AdminPasswordChangeForm):
    """Hands the new password to the admin, which sets it through user_set_password.

    On an account that reads identities, setting someone else's password asks
    for the administrator's own two-factor code.
    """

    # Django joins its help text to an untranslated warning when it is imported, in the
    # language of that moment: the English page showed it in Danish. Joined lazily here.
    # (A lazy text, typed as the text it becomes.)
    usable_password_help_text = cast(
        str,
        format_lazy(
            '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
            SetUnusablePasswordMixin.usable_password_help_text,
            _("If disabled, the current password for this user will be lost."),
        ),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.actor = _acting.get()
        self.confirmation = ""
        self.needs_second_factor = services.password_set_gives_access(actor=self.actor, user=user)
        if self.needs_second_factor:
            self.fields["second_factor"] = second_factor_field()

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.needs_second_factor and cleaned.get("set_usable_password"):
            _confirm_second_factor(self, self.actor)
        return cleaned

    def save(self, commit=True):
        self.user._brik_password_pending = True
        self.user._brik_new_password = (
            self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        )
        self.user._brik_confirmation = self.confirmation
        return self.user


class ResetTwoFactorForm(forms.Form):
    second_factor = second_factor_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second_factor"].required = True
        self.fields["second_factor"].help_text = _(
            "The newest code from your own authenticator app."
        )


# Django writes its permissions' names in English when the tables are made ("Can add
# case"): the admin's lists show them in the reader's language instead.
PERMISSION_ACTIONS = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}


def permission_label(permission) -> str:
    """A permission as Django shows it ("app | model | name"), in the reader's language."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    default = model is not None and permission.codename == f"{action}_{model._meta.model_name}"
    if not default or action not in PERMISSION_ACTIONS:
        return str(permission)  # a permission of its own: its name as written
    name = model._meta.verbose_name
    return " | ".join(
        [
            str(model._meta.app_config.verbose_name),
            str(name),
            str(PERMISSION_ACTIONS[action]) % {"name": name},
        ]
    )


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


class PermissionsInTheReadersLanguage(admin.ModelAdmin):
    """The permissions' choices labelled by permission_label (before GroupAdmin or
    UserAdmin among the bases)."""

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest | None = None, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[arg-type]


admin.site.unregister(Group)


@admin.register(Group)
class BrikGroupAdmin(PermissionsInTheReadersLanguage, GroupAdmin):
    pass


@admin.register(User)
class BrikUserAdmin(PermissionsInTheReadersLanguage, WhitelistedFilters, UserAdmin):
    audits_own_writes = True  # saved through brik.accounts.services
    form = UserEditForm
    add_form = UserCreationForm
    change_password_form = PasswordForm
    list_display = ("username", "first_name", "last_name", "organisation", "role", "is_active")
    list_filter = (
        "role",
        "organisation__type",
        "organisation",
        "is_active",
        "is_staff",
        "is_superuser",
    )
    list_select_related = ("organisation",)
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Organisation and role"), {"fields": ("organisation", "role")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Organisation and role"), {"fields": ("organisation", "role")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Your second factor"), {"fields": ("second_factor",)}),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["reset_two_factor"]
    change_user_password_template = "admin/accounts/user/change_password.html"  # noqa: S105

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("Your second factor"), {"fields": ("second_factor",)}))

    # The signature of Django's UserAdmin.get_form, which has no `change`.
    def get_form(self, request, obj=None, **kwargs):  # type: ignore[override]
        form = super().get_form(request, obj, **kwargs)  # a new class for each request
        form.actor = request.user  # type: ignore[attr-defined]  # both user forms declare it
        return form

    def has_delete_permission(self, request, obj=None):
        # The action log points at users: deactivate instead.
        return False

    @admin.action(description=_("Reset two-factor login (the user sets it up again)"))
    def reset_two_factor(self, request, queryset):
        """Asks for the administrator's own code first, on a page of its own."""
        users = list(queryset)
        form = ResetTwoFactorForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                confirmation = services.second_factor_confirm(
                    actor=request.user, code=form.cleaned_data["second_factor"]
                )
            except ValidationError as error:
                form.add_error("second_factor", error)
            else:
                self._reset_two_factor(request, users, confirmation)
                return None  # back to the list
        return TemplateResponse(
            request,
            "admin/accounts/user/reset_two_factor.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Reset two-factor login"),
                "opts": self.model._meta,
                "users": users,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _reset_two_factor(self, request, users, confirmation: str) -> None:
        count = 0
        for user in users:
            try:
                services.two_factor_reset(actor=request.user, user=user, confirmation=confirmation)
            except ValidationError as error:
                self.message_user(request, f"{user}: {' '.join(error.messages)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(
                request,
                ngettext(
                    "Two-factor login was reset for %(count)d user.",
                    "Two-factor login was reset for %(count)d users.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )

    def save_model(self, request, obj, form, change):
        if change:
            changed = {
                f: form.cleaned_data[f] for f in form.changed_data if f in services.USER_FIELDS
            }
            services.user_update(
                actor=request.user, user=obj, confirmation=form.confirmation, **changed
            )
            return
        cleaned = form.cleaned_data
        created = services.user_create(
            actor=request.user,
            username=cleaned["username"],
            organisation=cleaned.get("organisation"),
            role=cleaned.get("role", ""),
            password=cleaned["password1"] if cleaned["set_usable_password"] else None,
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
            email=cleaned.get("email", ""),
            confirmation=form.confirmation,
        )
        _adopt(obj, created)

    def save_related(self, request, form, formsets, change):
        if change:
            services.user_set_access(
                actor=request.user,
                user=form.instance,
                groups=form.cleaned_data.get("groups"),
                user_permissions=form.cleaned_data.get("user_permissions"),
            )
        super().save_related(request, form, formsets, change)

    def user_change_password(self, request, id, form_url=""):
        token = _acting.set(request.user)
        try:
            with transaction.atomic():
                return super().user_change_password(request, id, form_url)
        finally:
            _acting.reset(token)

    def log_change(self, request, obj, message):
        # Called by the password view right after PasswordForm.save().
        if getattr(obj, "_brik_password_pending", False):
            services.user_set_password(
                actor=request.user,
                user=obj,
                password=obj._brik_new_password,
                confirmation=obj._brik_confirmation,
            )
            del obj._brik_password_pending, obj._brik_new_password, obj._brik_confirmation
        return super().log_change(request, obj, message)
