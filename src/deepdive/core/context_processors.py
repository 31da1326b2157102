from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    return {
        "timezone_name": getattr(request, "timezone_name", "UTC"),
        "timezone_guessed": getattr(request, "timezone_guessed", True),
        "is_secretariat": bool(user and user.is_authenticated and user.is_secretariat),
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }
