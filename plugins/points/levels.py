"""Level curves and titles. A level depends only on lifetime XP."""

from __future__ import annotations

from bisect import bisect_right

from plugins.points.config import PointsConfig

__all__ = ["MAX_LEVEL", "Curve", "progress_bar", "title_for"]

# Far beyond any real community (MEE6 level 1000 needs ~1.7 billion XP).
MAX_LEVEL = 1000


class Curve:
    """Cumulative XP thresholds: ``threshold(L)`` is the lifetime XP that reaches level L."""

    def __init__(self, config: PointsConfig) -> None:
        totals = [0]
        if config.curve == "table":
            totals.extend(config.table)
        else:
            for level in range(MAX_LEVEL):
                if config.curve == "mee6":
                    step = 5 * level * level + 50 * level + 100
                else:
                    step = config.linear_a * level + config.linear_b
                totals.append(totals[-1] + step)
        self._totals = totals

    @property
    def max_level(self) -> int:
        return len(self._totals) - 1

    def threshold(self, level: int) -> int:
        return self._totals[min(max(level, 0), self.max_level)]

    def level_for(self, xp: int) -> int:
        return bisect_right(self._totals, xp) - 1

    def progress(self, xp: int) -> tuple[int, int]:
        """XP into the current level and XP the level spans (0 at the top level)."""
        level = self.level_for(xp)
        if level >= self.max_level:
            return 0, 0
        return xp - self._totals[level], self._totals[level + 1] - self._totals[level]


def title_for(config: PointsConfig, level: int, locale: str) -> str:
    best = None
    for title in config.titles:
        if title.level <= level and (best is None or title.level > best.level):
            best = title
    assert best is not None  # the config guarantees a range from level 0
    return best.zh if locale == "zh" else best.en


def progress_bar(done: int, span: int, width: int = 10) -> str:
    if span <= 0:
        return "▰" * width + " MAX"
    filled = min(width, done * width // span)
    return "▰" * filled + "▱" * (width - filled) + f" {done * 100 // span}%"
