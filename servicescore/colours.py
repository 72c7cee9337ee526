"""An organisation's colour where it shows (survey pages, dashboards, e-mails): darkened until it meets WCAG AA against
the page background. Pure colour arithmetic, shared by web/ and mail/, so it lives beside formats.py."""

from __future__ import annotations

import re
from typing import Final

DEFAULT_ACCENT: Final = "#0b4f9c"
AA_NORMAL_TEXT: Final = 4.5
CANVAS: Final = "#f3f4f6"  # the page background in app.css: the lightest thing the accent stands against
_HEX: Final = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channels(colour: str) -> tuple[float, float, float]:
    return int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    red, green, blue = (_linear(c) for c in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darken(colour: str, factor: float) -> str:
    return "#" + "".join(f"{round(c * 255 * factor):02x}" for c in _channels(colour))


def accessible_accent(colour: str) -> str:
    """The brand colour if white text on it and it on the page background reach AA; else the same hue darkened
    step by step until they do. No or a malformed colour gives ServiceScore's own accent."""
    if not _HEX.match(colour or ""):
        return DEFAULT_ACCENT
    accent = colour.lower()
    for _ in range(40):
        if contrast(accent, CANVAS) >= AA_NORMAL_TEXT:
            return accent
        accent = darken(accent, 0.92)
    return DEFAULT_ACCENT


def theme_css(colour: str) -> str:
    accent = accessible_accent(colour)
    return f":root {{ --accent: {accent}; --accent-dark: {darken(accent, 0.75)}; }}\n"
