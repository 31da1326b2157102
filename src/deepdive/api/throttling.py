"""How often one client may call the API."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class PerClientThrottle(AnonRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]`` requests per client address. The
    rate is read at each request, not once at import, so a changed setting (a test's) holds.
    The counts live in the default cache: per process unless the cache is shared."""

    scope = "api"

    def get_rate(self) -> str | None:
        rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope)
