from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from config.client_ip import client_ip


class _RatesFromSettings:
    """DRF's throttles copy the rates when their module is imported; these read them on each
    request, so a changed setting (``override_settings`` in tests) applies. Anonymous clients
    are told apart by the address config/client_ip.py trusts: DRF's own guess takes the whole
    X-Forwarded-For header, which the client writes, as the address."""

    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    pass
