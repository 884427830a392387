from luoshi.followup.tests.conftest import clock  # noqa: F401 - the shared frozen clock
