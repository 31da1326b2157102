from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from deepdive.core import views as core_views

urlpatterns = [
    path("favicon.ico", core_views.favicon),
    path("", include("deepdive.dashboard.urls")),
    path("accounts/", include("allauth.urls")),
    # Each app's urls hold its public pages and its /manage/ pages for the secretariat.
    path("", include("deepdive.accounts.urls")),
    path("", include("deepdive.directory.urls")),
    path("", include("deepdive.series.urls")),
    path("", include("deepdive.proposals.urls")),
    path("", include("deepdive.reviews.urls")),
    path("", include("deepdive.selection.urls")),
    path("", include("deepdive.timetable.urls")),
    path("", include("deepdive.webinars.urls")),
    path("", include("deepdive.communications.urls")),
    path("", include("deepdive.insight.urls")),
    path("api/", include("deepdive.api.urls")),
    path("", include("deepdive.outbox.urls")),
    # An e-mail service's webhooks (bounces, complaints); 404 unless their secret is set.
    path("anymail/", include("deepdive.outbox.webhooks")),
    path("admin/", admin.site.urls),
    # Uploaded logos; behind a real web server, serve MEDIA_ROOT from it instead.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
]

# The error pages in the site's layout and the reader's language (dashboard/views.py and
# core/views.py).
handler403 = "deepdive.dashboard.views.permission_denied"
handler404 = "deepdive.dashboard.views.page_not_found"
handler500 = "deepdive.core.views.server_error"
