"""The second step of Django's login pages (the admin's, and an authorization
server's): after the password, a page that asks for a code or a passkey; the
session is made only after it. And a passkey alone, on a login page."""

import json

from django import forms
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.functional import Promise
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ..users.devices import remember_device
from ..users.login_throttles import identifier_key, refused_by
from .challenges import complete, open_challenge, second_step
from .errors import CODE_INVALID, MESSAGES, PASSKEY_INVALID
from .fields import MAX_CREDENTIAL_SIZE
from .models import LoginChallenge
from .passkeys import second_step_options, use_assertion
from .throttles import CodeClientThrottle, throttled_code

SESSION_KEY = "mfa_login"
STAFF_NEED_A_FACTOR = (
    "Staff accounts need a second factor to use the admin. Set up an authenticator app "
    "through the API (POST /api/auth/mfa/totp/, then /api/auth/mfa/totp/confirm/), "
    "then log in here again."
)


def assertion_of(data):
    """The passkey's answer the page's script posted (JSON in a form field), or None."""
    text = data.get("assertion")
    if not isinstance(text, str) or not text or len(text) > MAX_CREDENTIAL_SIZE:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        label="Code from your authenticator app, or a recovery code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasskeyLoginMixin:
    """For a Django LoginView: a passkey's answer (posted by the page's script as
    `assertion`) logs in without the password, from an authenticator that verified
    its user. Limited per client like the second step's codes."""

    def post(self, request, *args, **kwargs):
        if "assertion" not in request.POST:
            return super().post(request, *args, **kwargs)  # type: ignore[misc]
        if refused := refused_by(request, (CodeClientThrottle(),), "Too many tries."):
            return refused
        assertion = assertion_of(request.POST)
        passkey = use_assertion(assertion, verify_user=True) if assertion else None
        if passkey is None:
            context = self.get_context_data(passkey_error=MESSAGES[PASSKEY_INVALID])  # type: ignore[attr-defined]
            return self.render_to_response(context, status=400)  # type: ignore[attr-defined]
        auth_login(request, passkey.user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]


class SecondStepLoginMixin:
    """For a Django LoginView: the password of a user with a second factor leads to
    the second step's page (`second_step_url`) instead of a session."""

    second_step_url: str | Promise = ""
    # The admin's: staff with no factor are refused, when the settings say so.
    refuse_staff_without_factor = False

    def form_valid(self, form):
        user = form.get_user()
        answer = second_step(user, LoginChallenge.Flow.SESSION)
        if answer is None:
            if (
                self.refuse_staff_without_factor
                and settings.MFA_REQUIRED_FOR_STAFF
                and user.is_staff
            ):
                form.add_error(None, STAFF_NEED_A_FACTOR)
                return self.form_invalid(form)  # type: ignore[attr-defined]
            return super().form_valid(form)  # type: ignore[misc]
        self.request.session[SESSION_KEY] = {  # type: ignore[attr-defined]
            "token": answer["mfa_token"],
            "backend": user.backend,
            "next": self.get_success_url(),  # type: ignore[attr-defined]
            "device_path": self.request.path,  # type: ignore[attr-defined]
        }
        return HttpResponseRedirect(str(self.second_step_url))


@method_decorator([sensitive_post_parameters("code"), csrf_protect, never_cache], name="dispatch")
class SecondStepView(View):
    """The page that asks for the code, then makes the session and goes on where
    the login was going."""

    template_name = ""
    login_url: str | Promise = ""

    def extra_context(self, request):
        return {}

    def pending(self, request):
        state = request.session.get(SESSION_KEY)
        if not isinstance(state, dict):
            return None, None
        return state, open_challenge(state.get("token"), LoginChallenge.Flow.SESSION)

    def render(self, request, form, challenge, status=200, passkey_error=None):
        context = {
            **self.extra_context(request),
            "form": form,
            "login_url": str(self.login_url),
            "passkey_error": passkey_error,
        }
        if challenge.webauthn_challenge:
            context["webauthn_options"] = second_step_options(challenge)
        return render(request, self.template_name, context, status=status)

    def start_again(self, request):
        request.session.pop(SESSION_KEY, None)
        return redirect(str(self.login_url))

    def get(self, request):
        _, challenge = self.pending(request)
        if challenge is None:
            return self.start_again(request)
        return self.render(request, CodeForm(), challenge)

    def post(self, request):
        state, challenge = self.pending(request)
        if challenge is None:
            return self.start_again(request)
        if refused := throttled_code(request, challenge.user):
            return refused
        by_passkey = "assertion" in request.POST
        if by_passkey:
            form = CodeForm()
            assertion = assertion_of(request.POST)
            user = complete(challenge, assertion=assertion) if assertion else None
        else:
            form = CodeForm(request.POST)
            user = complete(challenge, form.cleaned_data["code"]) if form.is_valid() else None
        if user is None:
            if not LoginChallenge.objects.filter(pk=challenge.pk).exists():
                return self.start_again(request)  # too many wrong codes
            if by_passkey:
                return self.render(request, form, challenge, 400, MESSAGES[PASSKEY_INVALID])
            form.add_error(None, MESSAGES[CODE_INVALID])
            return self.render(request, form, challenge, status=400)
        del request.session[SESSION_KEY]
        auth_login(request, user, backend=state["backend"])
        response = redirect(state["next"])
        remember_device(response, identifier_key(user.get_username()), path=state["device_path"])
        return response
