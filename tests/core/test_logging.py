"""Tokens never reach a log line, whoever logs them."""

import logging

from bot.logs import MASK, setup_logging

TELEGRAM = "123456789:AAEhBOweik9ad9jxk2cYhdLXLoLNwoaRGkM"
DISCORD = "MTA4NzA5ODI0NTY3ODkwMTIzNA.GcVd1x.abcdefghijklmnopqrstuvwxyz0123456"


def test_token_shapes_and_configured_secrets_are_redacted(capfd):
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
