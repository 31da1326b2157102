"""Routes of the reviewer pool (``app_name`` "reviews" is set in urls.py)."""

from django.urls import path

from .views import pool

urlpatterns = [
    # The secretariat's pages.
    path("manage/calls/<int:call_id>/review/", pool.pool, name="pool"),
    path("manage/calls/<int:call_id>/review/reviewers/add/", pool.pool_add, name="pool_add"),
    path(
        "manage/calls/<int:call_id>/review/reviewers/add-secretariat/",
        pool.pool_add_secretariat,
        name="pool_add_secretariat",
    ),
    path(
        "manage/calls/<int:call_id>/review/reviewers/<int:reviewer_id>/loads/",
        pool.pool_loads,
        name="pool_loads",
    ),
    path(
        "manage/calls/<int:call_id>/review/reviewers/<int:reviewer_id>/remove/",
        pool.pool_remove,
        name="pool_remove",
    ),
    path("manage/calls/<int:call_id>/conflicts/", pool.conflicts, name="conflicts"),
    path(
        "manage/calls/<int:call_id>/conflicts/<int:conflict_id>/lift/",
        pool.conflict_lift,
        name="conflict_lift",
    ),
    # A person's pages.
    path("reviews/invitations/", pool.invitations, name="invitations"),
    path(
        "reviews/invitations/<int:reviewer_id>/",
        pool.invitation_answer,
        name="invitation_answer",
    ),
    path("reviews/pools/<int:reviewer_id>/expertise/", pool.expertise, name="expertise"),
    path(
        "reviews/proposals/<int:proposal_id>/conflict/",
        pool.declare_conflict,
        name="declare_conflict",
    ),
]
