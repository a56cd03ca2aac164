"""Markers of the integration tests."""


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: starts real gunicorn servers (seconds each); skip with -m 'not slow'")
