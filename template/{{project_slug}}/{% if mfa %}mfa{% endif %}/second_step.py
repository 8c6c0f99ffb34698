"""The second step of Django's login pages (the admin's, and an authorization
server's): after the password, a page that asks for a code; the session is made
only after it."""

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
from ..users.login_throttles import identifier_key
from .challenges import complete, open_challenge, second_step
from .errors import CODE_INVALID, MESSAGES
from .models import LoginChallenge
from .throttles import throttled_code

SESSION_KEY = "mfa_login"
STAFF_NEED_A_FACTOR = (
    "Staff accounts need a second factor to use the admin. Set up an authenticator app "
    "through the API (POST /api/auth/mfa/totp/, then /api/auth/mfa/totp/confirm/), "
    "then log in here again."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        label="Code from your authenticator app, or a recovery code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


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

    def render(self, request, form, status=200):
        context = {**self.extra_context(request), "form": form, "login_url": str(self.login_url)}
        return render(request, self.template_name, context, status=status)

    def start_again(self, request):
        request.session.pop(SESSION_KEY, None)
        return redirect(str(self.login_url))

    def get(self, request):
        _, challenge = self.pending(request)
        if challenge is None:
            return self.start_again(request)
        return self.render(request, CodeForm())

    def post(self, request):
        state, challenge = self.pending(request)
        if challenge is None:
            return self.start_again(request)
        if refused := throttled_code(request, challenge.user):
            return refused
        form = CodeForm(request.POST)
        user = complete(challenge, form.cleaned_data["code"]) if form.is_valid() else None
        if user is None:
            if not LoginChallenge.objects.filter(pk=challenge.pk).exists():
                return self.start_again(request)  # too many wrong codes
            form.add_error(None, MESSAGES[CODE_INVALID])
            return self.render(request, form, status=400)
        del request.session[SESSION_KEY]
        auth_login(request, user, backend=state["backend"])
        response = redirect(state["next"])
        remember_device(response, identifier_key(user.get_username()), path=state["device_path"])
        return response
