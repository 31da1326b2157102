"""Permission checks, made on the server for every object."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def secretariat_required(view):
    """Only the secretariat: others get 403, anonymous readers the log-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_secretariat:
            raise PermissionDenied(_("This page is for the secretariat only."))
        return view(request, *args, **kwargs)

    return wrapper
