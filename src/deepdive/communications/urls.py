from django.urls import path, re_path

from . import campaign_views, newsletter_views, views

app_name = "communications"
urlpatterns = [
    re_path(
        r"^webinars/(?P<pk>[0-9]+)/card/(?P<language>[a-z]{2})/(?P<size>[a-z]+)\.(?P<kind>png|pdf)$",
        views.card,
        name="card",
    ),
    path(
        "webinars/<int:pk>/card/<str:language>/<str:size>/thumbnail.png",
        views.card,
        {"kind": "png", "thumbnail": True},
        name="card_thumbnail",
    ),
    path("webinars/<int:pk>/cards/", views.sheet, name="cards"),
    path("manage/series/<slug:slug>/branding/", views.branding, name="branding"),
    path(
        "manage/series/<slug:slug>/branding/preview.png",
        views.branding_preview,
        name="branding_preview",
    ),
]

# The secretariat's invitation campaigns (campaign_views).
urlpatterns += [
    path("manage/series/<slug:slug>/campaigns/", campaign_views.campaign_list, name="campaigns"),
    path(
        "manage/series/<slug:slug>/campaigns/draft/",
        campaign_views.campaign_draft,
        name="campaign_draft",
    ),
    path("manage/campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("manage/campaigns/<int:pk>/send/", campaign_views.campaign_send, name="campaign_send"),
    path("manage/campaigns/<int:pk>/pause/", campaign_views.campaign_pause, name="campaign_pause"),
    path(
        "manage/campaigns/<int:pk>/resume/", campaign_views.campaign_resume, name="campaign_resume"
    ),
    path("manage/campaigns/<int:pk>/retry/", campaign_views.campaign_retry, name="campaign_retry"),
]

# The secretariat's newsletter issues and their public web version (newsletter_views).
urlpatterns += [
    path(
        "manage/series/<slug:slug>/newsletters/",
        newsletter_views.newsletter_list,
        name="newsletters",
    ),
    path(
        "manage/series/<slug:slug>/newsletters/new/",
        newsletter_views.newsletter_new,
        name="newsletter_new",
    ),
    path("manage/newsletters/<int:pk>/", newsletter_views.newsletter_detail, name="newsletter"),
    path(
        "manage/newsletters/<int:pk>/edit/",
        newsletter_views.newsletter_edit,
        name="newsletter_edit",
    ),
    path(
        "manage/newsletters/<int:pk>/test/",
        newsletter_views.newsletter_test,
        name="newsletter_test",
    ),
    path(
        "manage/newsletters/<int:pk>/send/",
        newsletter_views.newsletter_send,
        name="newsletter_send",
    ),
    path(
        "newsletter/<slug:slug>/<int:pk>/", newsletter_views.newsletter_web, name="newsletter_web"
    ),
]
