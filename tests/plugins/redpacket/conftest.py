"""Shared settings of the red packet tests."""

POINTS = {"activity_points": "none", "announce_level_up": False}
CONFIG = {
    "bot": {"locale": "en"},
    "plugins": {"points": POINTS, "redpacket": {"edit_interval_seconds": 0}},
}
