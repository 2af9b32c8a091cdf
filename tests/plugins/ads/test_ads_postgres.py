"""The ads policy on PostgreSQL: the chat tests of every policy branch, run again on a real
server (``QUNBOT_TEST_PG_URL``; skipped without it)."""

import os

import pytest

from bot.testing.pytest_plugin import PG_ENV, reset_postgres
from plugins.ads import plugin
from plugins.redpacket import plugin as redpacket
from tests.plugins.ads.conftest import CONFIG
from tests.plugins.ads.test_ads_flow import (  # noqa: F401  (collected here, on PostgreSQL)
    test_ad_removed_with_a_reminder_and_the_ladder,
    test_ladder_decays_after_a_quiet_month,
    test_packet_after_the_ad_within_the_grace,
    test_packet_before_the_ad_makes_it_welcome,
    test_redelivered_message_is_judged_once,
    test_repost_button_and_slash_ad,
    test_too_small_or_too_late_a_packet_does_not_count,
    test_undo_and_pardon,
    test_watch_mode_only_logs,
    test_whitelists,
)

pytestmark = [pytest.mark.plugins(plugin, redpacket), pytest.mark.bot_config(CONFIG)]


@pytest.fixture
async def bot_database_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    await reset_postgres(url)
    return url
