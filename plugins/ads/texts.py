"""Phrases of counts that several texts share ("50 points in 5 shares", "3 minutes"), in the
reader's language with the catalog's plural forms."""

from __future__ import annotations

from typing import Any

from bot import Scope
from plugins.ads.config import AdsSettings

__all__ = ["minutes", "packet_terms"]


def minutes(value: float) -> str:
    return f"{value:g}"


def packet_terms(scope: Scope, locale: str, settings: AdsSettings) -> dict[str, Any]:
    """The parameters of a text about the group's packet minimum and grace window: the
    numbers (``total``, ``count``, ``minutes``, for a command to copy) and the phrases
    (``packet``, ``window``)."""
    t = scope.translate
    points = t(locale, "ads.unit.points", n=settings.min_total)
    shares = t(locale, "ads.unit.shares", n=settings.min_count)
    return {
        "total": settings.min_total,
        "count": settings.min_count,
        "minutes": minutes(settings.grace_minutes),
        "packet": t(locale, "ads.unit.packet", points=points, shares=shares),
        "window": t(locale, "ads.unit.window", n=minutes(settings.grace_minutes)),
    }
