"""Keeps allauth's two-factor set-up pages to the secretariat."""

from allauth.mfa.adapter import get_adapter
from django.shortcuts import render

# allauth's pages that set up or show authenticators. Signing in with a second factor
# (mfa_authenticate, mfa_reauthenticate, mfa_trust) and turning it off stay open to all.
MFA_SETUP_VIEWS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "mfa_edit_webauthn",
    }
)


class SecretariatOnlyMFAMiddleware:
    """Answers 403, with a page that says why, when anyone but the secretariat opens one of
    allauth's two-factor set-up pages (see ``MFAAdapter.can_set_up_mfa``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in MFA_SETUP_VIEWS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # allauth's own login_required sends them to the log-in page
        if get_adapter().can_set_up_mfa(user):
            return None
        return render(request, "accounts/mfa_refused.html", status=403)
