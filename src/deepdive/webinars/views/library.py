"""The library page (public): every published recording and every material the reader may
see, of every series, searched and filtered in the address (``library.library``). No player
is loaded here: each entry links to its webinar's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import library as shelf
from ..interfaces.library_forms import LibraryFilterForm


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET, years=shelf.years())
    return render(
        request,
        "webinars/library/library.html",
        {
            "form": form,
            "library": shelf.library(
                user=request.user, filters=form.filters(), page=request.GET.get("page")
            ),
        },
    )
