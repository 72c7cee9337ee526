from __future__ import annotations

from servicescore.cli import main

main()
