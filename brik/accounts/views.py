"""Logging in, the second factor (enrolment, the verify step, recovery codes), and
the leads' acknowledgement of access given to identities."""

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from brik.accounts import selectors, services
from brik.accounts.forms import CodeForm, SetupCodeForm
from brik.accounts.middleware import TWO_FACTOR_PENDING, owes_second_factor, two_factor_exempt
from brik.accounts.permissions import Ability, is_verified, permission_required


class LoginView(auth_views.LoginView):
    """Django's login (behind django-axes' lockout); then, where owed, the second factor."""

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()  # now self.request.user too
        if selectors.has_two_factor(user=user):
            # Asked for by the middleware even where the role does not require it.
            self.request.session[TWO_FACTOR_PENDING] = True
        if owes_second_factor(self.request):
            query = urlencode({"next": self.get_success_url()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return response


login = two_factor_exempt(LoginView.as_view())


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: redirect() would take anything else for a view's name.
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _passed(request, device):
    django_otp.login(request, device)
    request.session.pop(TWO_FACTOR_PENDING, None)
    # A new session key once the login is complete.
    request.session.cycle_key()


@two_factor_exempt
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The verify step for an enrolled user; enrolment for one who has no device yet."""
    user = request.user
    next_url = _next_url(request)
    if is_verified(user):
        return redirect(next_url)
    if not selectors.has_two_factor(user=user):
        return _enrol(request, next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=user, token=form.cleaned_data["code"])
        if device is not None:
            _passed(request, device)
            return redirect(next_url)
        form.add_error(
            "code",
            _("The code is not right. Try the newest code from the app, or a recovery code."),
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=422 if form.errors else 200,
    )


def _qr_svg(uri: str) -> str:
    # segno writes a self-contained SVG (no scripts, no styles); safe to inline.
    svg = segno.make(uri, error="m").svg_inline(scale=5, omitsize=False)
    return mark_safe(svg)  # noqa: S308


def _enrol(request, next_url: str):
    user = request.user
    device = selectors.totp_device(user=user, confirmed=False)
    if device is None:
        enrolment = services.totp_device_start(user=user)
    else:
        enrolment = services.totp_secret(device)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=user, device=enrolment.device, token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            enrolment.device.refresh_from_db()
            _passed(request, enrolment.device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret": enrolment.secret,
            "qr": _qr_svg(enrolment.uri),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """One's own second factor: whether it is set up, and new recovery codes."""
    user = request.user
    if request.method == "POST":
        if not is_verified(user):
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.path})}")
        codes = services.recovery_codes_generate(user=user)
        return render(
            request, "accounts/recovery_codes.html", {"codes": codes, "next": request.path}
        )
    return render(
        request,
        "accounts/security.html",
        {
            "enrolled": selectors.has_two_factor(user=user),
            "verified": is_verified(user),
            "codes_left": selectors.recovery_codes_left(user=user),
        },
    )


@permission_required(Ability.ACCESS_NOTICES)
@require_POST
def access_notices_seen(request):
    """A lead marks the access notices shown on the page as seen."""
    ids = [v for v in request.POST.getlist("notice") if v.isdigit() and len(v) <= 18]
    services.access_notices_acknowledge(actor=request.user, notice_ids=[int(v) for v in ids])
    return redirect(_next_url(request))


@login_required
@require_POST
def session_stay(request):
    """ "Stay signed in": the session is written again, so its idle time starts anew."""
    request.session.modified = True
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"seconds_left": settings.SESSION_COOKIE_AGE})
    return redirect(_next_url(request))
