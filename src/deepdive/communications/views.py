"""The cards (images and PDF), the downloads page of a webinar's cards, and the secretariat's
branding page with its preview."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from deepdive.core.permissions import secretariat_required
from deepdive.series.branding import HEX
from deepdive.series.models import Series

from . import cards, operations, queries
from .forms import BrandingForm
from .models import Branding

CONTENT_TYPES = {cards.PNG: "image/png", cards.PDF: "application/pdf"}


def _serve(stored: queries.StoredCard, *, public: bool, thumbnail: bool, filename: str):
    name = f"{stored.name}-{queries.THUMBNAIL}.png" if thumbnail else f"{stored.name}.{stored.kind}"
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    kind = cards.PNG if thumbnail else stored.kind
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["ETag"] = f'"{stored.etag}{"-t" if thumbnail else ""}"'
    # The address stays while the card changes with the webinar: kept for an hour at most.
    response["Cache-Control"] = ("public" if public else "private") + ", max-age=3600"
    if not thumbnail:
        disposition = "attachment" if kind == cards.PDF else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}.{kind}"'
    return response


@require_safe
def card(request, pk: int, language: str, size: str, kind: str, thumbnail: bool = False):
    """One card of a webinar: public when the webinar is published, else for its hosts and
    the secretariat (404 for others)."""
    if language not in queries.LANGUAGES or size not in cards.SIZES:
        raise Http404
    if cards.SIZES[size][2] != kind and not thumbnail:
        raise Http404
    webinar = queries.card_webinar(request.user, pk)
    if webinar is None:
        raise Http404
    stored = queries.webinar_card(webinar, language=language, size=size)
    if request.headers.get("If-None-Match") == f'"{stored.etag}{"-t" if thumbnail else ""}"':
        return HttpResponse(status=304)
    return _serve(
        stored,
        public=webinar.is_published,
        thumbnail=thumbnail,
        filename=f"webinar-{webinar.pk}-{language}-{size}",
    )


@require_safe
def sheet(request, pk: int):
    """Every card of a webinar to download: its hosts and the secretariat."""
    webinar = queries.card_webinar(request.user, pk)
    if webinar is None:
        raise Http404
    if not queries.may_download(request.user, webinar):
        raise PermissionDenied
    return render(
        request,
        "communications/cards.html",
        {"webinar": webinar, "entries": queries.card_sheet(webinar)},
    )


def _preview_values(data) -> dict[str, str]:
    """The colours and layout to preview, those that are valid."""
    values = {}
    for key, name in (("primary", "colour_primary"), ("accent", "colour_accent")):
        if HEX.match(data.get(name, "") or ""):
            values[key] = data[name].lower()
    if data.get("layout") in Branding.Layout.values:
        values["layout"] = data["layout"]
    return values


@secretariat_required
def branding(request, slug: str):
    """The series' branding: edit, preview (without saving: the "Preview" button), save."""
    series = get_object_or_404(Series, slug=slug)
    stored = queries.branding_of(series)
    initial = {
        "colour_primary": stored.colour_primary,
        "colour_accent": stored.colour_accent,
        "layout": stored.layout,
    }
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    preview = {}
    status = 200
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview_values(form.cleaned_data)
        else:
            try:
                operations.save_branding(
                    actor=request.user,
                    series=series,
                    colour_primary=form.cleaned_data["colour_primary"],
                    colour_accent=form.cleaned_data["colour_accent"],
                    layout=form.cleaned_data["layout"],
                    logo=form.cleaned_data.get("logo") or None,
                    remove_logo=form.cleaned_data.get("remove_logo", False),
                )
            except operations.BrandingInvalid as refused:
                refused.show_on(form)
                status = 422
            else:
                messages.success(request, _("The branding was saved."))
                return redirect("communications:branding", slug=series.slug)
    elif request.method == "POST":
        status = 422
    sample = queries.next_webinar(series)
    preview_url = reverse("communications:branding_preview", kwargs={"slug": series.slug})
    if preview:
        preview_url += "?" + urlencode(preview)
    return render(
        request,
        "communications/branding.html",
        {
            "series": series,
            "form": form,
            "branding": stored,
            "sample": sample,
            "preview_url": preview_url,
            "previewing": bool(preview),
        },
        status=status,
    )


@secretariat_required
@require_safe
def branding_preview(request, slug: str):
    """The link-preview card of the series' next published webinar (else a made-up one) with
    the saved branding, or the colours and layout given in the query."""
    series = get_object_or_404(Series, slug=slug)
    language = getattr(request, "LANGUAGE_CODE", "en")
    language = language if language in queries.LANGUAGES else "en"
    sample = queries.next_webinar(series)
    data = (
        queries.card_data(sample, language)
        if sample is not None
        else queries.sample_data(series, language)
    )
    asked = {
        "colour_primary": request.GET.get("primary", ""),
        "colour_accent": request.GET.get("accent", ""),
        "layout": request.GET.get("layout", ""),
    }
    style = queries.style_of(queries.branding_of(series), **_preview_values(asked))
    stored = queries.card(
        data, style, owner=f"preview-{series.pk}", language=language, size="preview"
    )
    response = _serve(stored, public=False, thumbnail=False, filename=f"{series.slug}-preview")
    response["Cache-Control"] = "private, no-cache"  # one address for every saved branding
    return response
