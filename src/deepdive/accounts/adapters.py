"""django-allauth adapters: every account e-mail goes through the outbox, new accounts take
the reader's zone and language, and only the secretariat may set up two-factor authentication.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation
from django.utils.translation import gettext

from deepdive.core.timezones import TZ_COOKIE, is_valid_zone
from deepdive.outbox.operations import queue_email

from .models import User


def supported_language(code: str | None) -> str:
    """``code`` as one of settings.LANGUAGES, or "" when it is none of them."""
    if not code:
        return ""
    try:
        code = translation.get_supported_language_variant(code)
    except LookupError:
        return ""
    return code if code in dict(settings.LANGUAGES) else ""


def _known_user(email: str, context: dict[str, Any]) -> User | None:
    user = context.get("user")
    if isinstance(user, User) and user.pk:
        return user
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return User.objects.filter(email__iexact=email).first()


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"[{gettext('Deep Dive')}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message with allauth's own templates, in the recipient's language
        (else the current one), and store it in the outbox instead of sending it."""
        request = allauth_context.request
        ctx: dict[str, Any] = {"request": request, "email": email}
        if request is not None:
            ctx["current_site"] = get_current_site(request)
        ctx.update(context)
        user = _known_user(email, ctx)
        language = (
            supported_language(user.language if user else "")
            or supported_language(translation.get_language())
            or settings.LANGUAGE_CODE
        )
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body
        for recipient in message.to:
            queue_email(
                to=recipient,
                subject=message.subject,
                text=text,
                html=html,
                language=language,
                kind="account",
                related=user,
                from_email=message.from_email,
            )

    def save_user(self, request, user, form, commit: bool = True):
        """The new account also keeps its full name, the zone the browser reported (the
        ``deepdive_tz`` cookie) and the language the page was read in."""
        user = super().save_user(request, user, form, commit=False)
        user.name = (form.cleaned_data.get("name") or "").strip()
        if request is not None:
            zone = request.COOKIES.get(TZ_COOKIE)
            if is_valid_zone(zone):
                user.timezone = zone
            user.language = supported_language(
                getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
            )
        if commit:
            user.save()
        return user


class MFAAdapter(DefaultMFAAdapter):
    def can_set_up_mfa(self, user) -> bool:
        """Two-factor authentication is for the secretariat only."""
        return bool(user is not None and user.is_authenticated and user.is_secretariat)
