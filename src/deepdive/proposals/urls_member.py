from django.urls import path

from .views import member

# Member contacts' pages: their proposals, the form, withdrawal, a co-submitter's decision.
urlpatterns = [
    path("proposals/", member.mine, name="mine"),
    path("calls/<int:call_id>/propose/", member.new, name="new"),
    path("proposals/<int:pk>/", member.view, name="view"),
    path("proposals/<int:pk>/edit/", member.edit, name="edit"),
    path("proposals/<int:pk>/withdraw/", member.withdraw, name="withdraw"),
    path("proposals/<int:pk>/autosave/", member.autosave, name="autosave"),
    path("proposals/<int:pk>/take-part/", member.take_part, name="take_part"),
]
