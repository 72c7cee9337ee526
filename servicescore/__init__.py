"""ServiceScore: measure customer service, benchmark it against peers, and report it."""

from __future__ import annotations

__version__ = "0.1.0"
