"""Tokens never reach a log line, whoever logs them."""

import logging

import pytest

from bot.logs import MASK, setup_logging

TELEGRAM = "123456789:AAEhBOweik9ad9jxk2cYhdLXLoLNwoaRGkM"
DISCORD = "MTA4NzA5ODI0NTY3ODkwMTIzNA.GcVd1x.abcdefghijklmnopqrstuvwxyz0123456"


@pytest.fixture
def logging_to_captured_stderr():
    """setup_logging's handler writes to this test's captured stderr; remove it afterwards so
    later tests do not log into a closed stream."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


def test_token_shapes_and_configured_secrets_are_redacted(capfd, logging_to_captured_stderr):
    setup_logging("DEBUG", ["webhook-secret-value"])
    log = logging.getLogger("httpcore.test")
    log.warning("POST https://api.telegram.org/bot%s/getMe", TELEGRAM)
    log.warning("discord token %s and %s", DISCORD, "webhook-secret-value")
    try:
        raise RuntimeError(f"failed with {TELEGRAM}")
    except RuntimeError:
        log.exception("boom")
    err = capfd.readouterr().err
    assert TELEGRAM not in err and DISCORD not in err and "webhook-secret-value" not in err
    assert err.count(MASK) >= 4
