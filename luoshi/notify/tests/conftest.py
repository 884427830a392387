import pytest


@pytest.fixture(autouse=True)
def sms_gateway_configured(settings):
    """SMS is only queued when a gateway exists; these tests assume one (nothing listens
    there: a test that delivers SMS points it at its own local server)."""
    settings.LUOSHI_SMS_URL = "http://127.0.0.1:9/sms"
