from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deepdive.core.permissions import secretariat_required
from deepdive.directory.models import Affiliation

from . import operations, queries
from .forms import AffiliationForm, DecisionForm, ProfileForm


@login_required
def profile(request):
    user = request.user
    initial = {
        "name": user.name,
        "timezone": user.timezone or request.timezone_name,
        "language": user.language or translation.get_language(),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = operations.update_preferences(actor=user, user=user, **form.cleaned_data)
        response = redirect("accounts:profile")
        if "language" in changes:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
            )
        with translation.override(user.language or translation.get_language()):
            messages.success(
                request, _("Your profile is saved.") if changes else _("Nothing to change.")
            )
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def affiliations(request):
    form = AffiliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = operations.state_affiliation(
                actor=request.user,
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                position=form.cleaned_data["position"],
            )
        except operations.AffiliationExists as refused:
            refused.show_on(form)
        else:
            if affiliation.status == Affiliation.Status.VERIFIED:
                messages.success(
                    request,
                    _("Your affiliation to %(organisation)s is verified by your e-mail address.")
                    % {"organisation": affiliation.organisation},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your affiliation to %(organisation)s is waiting for verification by "
                        "the secretariat."
                    )
                    % {"organisation": affiliation.organisation},
                )
            return redirect("accounts:affiliations")
    return render(
        request,
        "accounts/affiliations.html",
        {"form": form, "affiliations": queries.affiliations_of(request.user)},
    )


@secretariat_required
def affiliations_to_verify(request):
    return render(
        request,
        "accounts/affiliations_to_verify.html",
        {
            "pending": queries.pending_affiliations(),
            "decided": queries.recently_decided_affiliations(),
        },
    )


@require_POST
@secretariat_required
def decide_affiliation(request, pk: int):
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("user", "organisation"), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to verify or reject the affiliation."))
        return redirect("accounts:affiliations_to_verify")
    verified = form.cleaned_data["decision"] == DecisionForm.VERIFY
    try:
        operations.decide_affiliation(
            actor=request.user,
            affiliation=affiliation,
            verified=verified,
            reason=form.cleaned_data["reason"],
        )
    except operations.AlreadyDecided:
        messages.warning(
            request,
            _("The affiliation of %(person)s to %(organisation)s was already decided.")
            % {"person": affiliation.user, "organisation": affiliation.organisation},
        )
    else:
        text = (
            _("%(person)s is verified as a contact of %(organisation)s.")
            if verified
            else _("The affiliation of %(person)s to %(organisation)s is rejected.")
        )
        messages.success(
            request, text % {"person": affiliation.user, "organisation": affiliation.organisation}
        )
    return redirect("accounts:affiliations_to_verify")
