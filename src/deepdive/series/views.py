from django.shortcuts import get_object_or_404, render

from . import queries


def series_detail(request, slug: str):
    series = get_object_or_404(queries.public_series(), slug=slug)
    return render(
        request,
        "series/detail.html",
        {
            "series": series,
            "calls": series.calls.all(),
            "band_style": queries.series_band_style(series),
            "languages": queries.language_names(series.languages),
        },
    )
