"""Logging in: lockout, the TOTP second factor, and session limits."""

import functools
from datetime import datetime

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kafo.actors.permissions import membership_of, role_of
from kafo.security import audit
from kafo.security.lockout import locked_until
from kafo.security.models import Action

LOGIN_TIME_KEY = "kafo_login_at"
# When the session was last written: its idle time counts from there.
SEEN_TIME_KEY = "kafo_seen_at"
# A session in use is written again (its idle time starts again) at most this often, not
# at every request: a write per request was the largest fixed cost of a page under load.
SESSION_RENEW_SECONDS = 60


class LoginForm(AuthenticationForm):
    """Django's login form, which first refuses a locked name or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": gettext_lazy(
            "Too many failed attempts. Logging in is blocked until %(until)s; "
            "ask the national coordination if you have forgotten your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        until = locked_until(username, audit.client_ip(self.request))
        if until:
            audit.record(
                Action.LOGIN_FAILED, request=self.request, username=username[:150],
                changes={"locked": True}, as_request_user=False,
            )  # fmt: skip
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"until": formats.time_format(timezone.localtime(until), "H:i")},
            )
        return super().clean()


def second_factor_required(user) -> bool:
    """Coordinators and administrators must use a second factor; others may."""
    return user.is_superuser or (role_of(user) in settings.KAFO_SECOND_FACTOR_ROLES)


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class SecondFactorMiddleware:
    """Until the code is given, a user with a device (or who must have one) sees nothing else."""

    OPEN_PREFIXES = (
        "/static/", "/health/", "/i18n/", "/accounts/login/", "/accounts/logout/",
        "/accounts/second-factor/", "/sw.js", "/offline/",
    )  # fmt: skip

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            has_device = _confirmed_device(user) is not None
            if has_device or second_factor_required(user):
                target = "second_factor" if has_device else "second_factor_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


class SessionLimitMiddleware:
    """Sessions end after KAFO_SESSION_IDLE_MINUTES idle or KAFO_SESSION_MAX_HOURS after
    login, whatever the activity. The idle time starts again at a request at most once a
    SESSION_RENEW_SECONDS (the session is written then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_TIME_KEY)
            limit = settings.KAFO_SESSION_MAX_HOURS * 3600
            if started is None or timezone.now().timestamp() - started > limit:
                logout(request)
                messages.info(request, _("Your session has ended; please log in again."))
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            now = timezone.now().timestamp()
            if now - request.session.get(SEEN_TIME_KEY, 0) >= SESSION_RENEW_SECONDS:
                request.session[SEEN_TIME_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


def mark_login_time(sender, request, user, **kwargs) -> None:
    request.session[LOGIN_TIME_KEY] = timezone.now().timestamp()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Six-digit code"), max_length=8, min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )  # fmt: skip

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return code


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _check(request: HttpRequest, device: TOTPDevice, form: CodeForm) -> bool:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until: datetime | None = (info or {}).get("locked_until")
        form.add_error(
            "code",
            _("Too many wrong codes; wait until %(until)s.")
            % {"until": formats.time_format(timezone.localtime(until), "H:i:s") if until else ""},
        )
        return False
    if device.verify_token(form.cleaned_data["code"]):
        otp_login(request, device)
        audit.record(Action.SECOND_FACTOR, request=request)
        return True
    audit.record(Action.SECOND_FACTOR_FAILED, request=request)
    form.add_error("code", _("This code is not right, or has expired. Try the current one."))
    return False


def second_factor(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code from the authenticator application."""
    if not request.user.is_authenticated:
        return redirect("login")
    device = _confirmed_device(request.user)
    if device is None:
        return redirect(
            f"{reverse('second_factor_setup')}?{urlencode({'next': _next_url(request)})}"
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(request, device, form):
        return redirect(_next_url(request))
    return render(
        request, "security/second_factor.html", {"form": form, "next": _next_url(request)}
    )


def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator application: scan the code, type the code it shows."""
    if not request.user.is_authenticated:
        return redirect("login")
    if _confirmed_device(request.user) is not None and not request.user.is_verified():
        return redirect("second_factor")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Kafo"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(request, device, form):
        TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        messages.success(request, _("Second factor enabled."))
        return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "security/second_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_svg": qr.svg_inline(scale=4, dark="#1d2b36", omitsize=False),
            "secret": _grouped_secret(device),
            "required": second_factor_required(request.user),
        },
    )


def _grouped_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def account_security(request: HttpRequest) -> HttpResponse:
    """The user's own security: second factor on or off (off only if not required)."""
    device = _confirmed_device(request.user)
    required = second_factor_required(request.user)
    if request.method == "POST" and request.POST.get("action") == "disable":
        if required:
            messages.error(request, _("Your role requires a second factor."))
        elif device is not None:
            TOTPDevice.objects.filter(user=request.user).delete()
            messages.success(request, _("Second factor disabled."))
        return redirect("account_security")
    token = None
    if request.method == "POST" and request.POST.get("action") == "api_token":
        # The page is reached only past the second factor: a token is made after it.
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        audit.record(
            Action.CREATE, request=request, object_type="api token", object_id=str(request.user.pk)
        )
    membership = membership_of(request.user)
    if request.method == "POST" and request.POST.get("action") in ("bulletin_on", "bulletin_off"):
        if membership is not None:
            membership.email_bulletin = request.POST["action"] == "bulletin_on"
            membership.save(update_fields=["email_bulletin"])
            said = (_("The monthly bulletin will be e-mailed to you.") if membership.email_bulletin
                    else _("The monthly bulletin will no longer be e-mailed to you."))  # fmt: skip
            messages.success(request, said)
        return redirect("account_security")
    if request.method == "POST" and request.POST.get("action") in ("notices_on", "notices_off"):
        if membership is not None:
            membership.email_notices = request.POST["action"] == "notices_on"
            membership.save(update_fields=["email_notices"])
            messages.success(request, _("E-mail notices turned on.") if membership.email_notices
                             else _("E-mail notices turned off."))  # fmt: skip
        return redirect("account_security")
    return render(
        request,
        "security/account_security.html",
        {
            "device": device,
            "required": required,
            "membership": membership,
            "token": token,
            "token_hours": settings.KAFO_API_TOKEN_HOURS,
        },
    )


def clear_site_data(view):
    """A view (logout) whose answer empties the browser of this site: its caches, its
    storage (the outbox: sent first, or dropped knowingly) and the service worker."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return wrapped
