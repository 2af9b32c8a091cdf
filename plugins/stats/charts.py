"""Charts as PNG bytes, drawn with matplotlib's Agg backend (no display, no pyplot state).

Chinese labels need a font with CJK glyphs: the one the ``mplfonts`` package ships (Noto Sans
CJK SC, a dependency of qunbot, so a fresh install has it), else a system font (Debian's
``fonts-noto-cjk``, WenQuanYi). Drawing is CPU work: callers run it in a thread
(``asyncio.to_thread``); a lock keeps matplotlib, which is not thread-safe, to one chart at a
time.
"""

from __future__ import annotations

import importlib.util
import io
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = ["cjk_font", "fleet_chart", "heatmap_chart", "top_chart", "trend_chart"]

_LOCK = threading.Lock()
_FONT: list[str] = []
_SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
# Colours of the health classes (fleet chart) and the series.
CLASS_COLOURS = {"high": "#2e7d32", "general": "#1f77b4", "spam": "#d62728", "dead": "#8c8c8c"}
BLUE, ORANGE, GREEN, RED = "#4c72b0", "#dd8452", "#55a868", "#c44e52"


def _font_files() -> list[Path]:
    found = []
    spec = importlib.util.find_spec("mplfonts")  # located, not imported: it changes rcParams
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            found.append(Path(folder) / "fonts" / "NotoSansCJKsc-Regular.otf")
    found.extend(Path(p) for p in _SYSTEM_FONTS)
    return [p for p in found if p.is_file()]


def cjk_font() -> str | None:
    """The family name of the CJK font the charts use (registered once), or None when there is
    none: then Chinese labels would be boxes."""
    if not _FONT:
        name = ""
        for path in _font_files():
            try:
                font_manager.fontManager.addfont(str(path))
                name = font_manager.FontProperties(fname=str(path)).get_name()
                break
            except (OSError, RuntimeError, ValueError):
                continue
        _FONT.append(name)
    return _FONT[0] or None


def _figure(width: float, height: float) -> Figure:
    family = cjk_font()
    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    if family:
        fig.set_label(family)
    return fig


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor="white")
    return out.getvalue()


def _draw(width: float, height: float, paint) -> bytes:
    with _LOCK, matplotlib.rc_context(_rc()):
        fig = _figure(width, height)
        paint(fig)
        fig.tight_layout()
        return _png(fig)


def _rc() -> dict:
    family = cjk_font()
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    return {"font.family": "sans-serif", "font.sans-serif": fonts, "axes.unicode_minus": False}


def trend_chart(
    days: Sequence[date], messages: Sequence[int], speakers: Sequence[int], net: Sequence[int],
    *, title: str, labels: dict[str, str],
) -> bytes:
    """Messages (bars) and distinct speakers (line) a day, and joins − leaves below."""

    def paint(fig: Figure) -> None:
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        x = list(range(len(days)))
        top.bar(x, messages, color=BLUE, label=labels["messages"])
        top.set_ylabel(labels["messages"])
        twin = top.twinx()
        twin.plot(x, speakers, color=ORANGE, marker="o", markersize=3, label=labels["speakers"])
        twin.set_ylabel(labels["speakers"])
        # Headroom above the tallest bar and point, so the legend covers neither.
        top.set_ylim(0, max(max(messages, default=0), 1) * 1.25)
        twin.set_ylim(0, max(max(speakers, default=0), 1) * 1.25)
        handles = top.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
        top.legend(handles, [labels["messages"], labels["speakers"]], loc="upper left", fontsize=8)
        top.set_title(title)
        top.grid(axis="y", alpha=0.3)
        bottom.bar(x, net, color=[GREEN if v >= 0 else RED for v in net])
        bottom.axhline(0, color="black", linewidth=0.6)
        bottom.set_ylabel(labels["net"])
        step = max(1, len(days) // 10)
        bottom.set_xticks(x[::step], [d.strftime("%m-%d") for d in days][::step], fontsize=8)

    return _draw(9, 5.5, paint)


def heatmap_chart(
    grid: Sequence[Sequence[float]], best: tuple[int, int] | None, *, title: str,
    weekdays: Sequence[str], hour_label: str, best_label: str, scale_label: str,
) -> bytes:
    """Average messages per weekday (rows) and local hour (columns); the best cell outlined."""

    def paint(fig: Figure) -> None:
        ax = fig.subplots()
        image = ax.imshow(grid, aspect="auto", cmap="YlOrRd", interpolation="nearest")
        ax.set_yticks(range(7), weekdays)
        ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=8)
        ax.set_xlabel(hour_label)
        ax.set_title(title)
        colorbar = fig.colorbar(image, ax=ax)
        colorbar.set_label(scale_label)
        if best is not None:
            weekday, hour = best
            ax.add_patch(
                Rectangle((hour - 0.5, weekday - 0.5), 1, 1, fill=False, edgecolor="#1f3a93", linewidth=2.5)
            )
            ax.annotate(
                best_label, (hour, weekday), xytext=(0, -22 if weekday < 3 else 22),
                textcoords="offset points", ha="center", fontsize=9, color="#1f3a93",
                arrowprops={"arrowstyle": "->", "color": "#1f3a93"},
                bbox={"boxstyle": "round", "fc": "white", "ec": "#1f3a93"},
            )

    return _draw(10, 4.2, paint)


def top_chart(names: Sequence[str], counts: Sequence[int], *, title: str, xlabel: str) -> bytes:
    """The top speakers as horizontal bars, the first on top."""

    def paint(fig: Figure) -> None:
        ax = fig.subplots()
        y = list(range(len(names)))[::-1]
        bars = ax.barh(y, counts, color=BLUE)
        ax.set_yticks(y, [n[:20] for n in names])
        ax.bar_label(bars, padding=3, fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.grid(axis="x", alpha=0.3)

    return _draw(8, 0.9 + 0.38 * max(len(names), 3), paint)


def fleet_chart(
    points: Sequence[tuple[str, float, float, str]], *, title: str, xlabel: str, ylabel: str,
    classes: dict[str, str], labelled: int,
) -> bytes:
    """One dot per group: distinct speakers a day (x), messages a day (y), coloured by health
    class; the ``labelled`` busiest are named."""

    def paint(fig: Figure) -> None:
        ax = fig.subplots()
        for cls, label in classes.items():
            mine = [p for p in points if p[3] == cls]
            if mine:
                ax.scatter(
                    [p[1] for p in mine], [p[2] for p in mine], s=36, alpha=0.8,
                    color=CLASS_COLOURS.get(cls, BLUE), label=f"{label} ({len(mine)})",
                )
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("symlog", linthresh=1)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        for name, x, y, _cls in sorted(points, key=lambda p: -p[2])[:labelled]:
            ax.annotate(name[:16], (x, y), xytext=(4, 3), textcoords="offset points", fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(alpha=0.3)
        if points:
            ax.legend(loc="upper left", fontsize=8)

    return _draw(9, 6, paint)
