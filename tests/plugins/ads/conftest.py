"""Shared settings of the ads tests, and a console that remembers what the bot deleted."""

import pytest

POINTS = {"activity_points": "none", "announce_level_up": False}
CONFIG = {
    "bot": {"locale": "en"},
    "plugins": {
        "points": POINTS,
        "redpacket": {"edit_interval_seconds": 0},
        "ads": {"min_total": 50, "min_count": 5, "grace_minutes": 3, "new_member_hours": 0},
    },
}


@pytest.fixture
def deleted(fake):
    """Message ids the bot deleted (the console keeps members' messages nowhere)."""
    ids: list[str] = []
    original = fake.console.delete

    async def delete(channel_id: str, message_id: str) -> None:
        ids.append(message_id)
        await original(channel_id, message_id)

    fake.console.delete = delete
    return ids
