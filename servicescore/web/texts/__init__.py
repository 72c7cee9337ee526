"""Interface strings of each part of the web application, one module a part, merged into ``i18n.CATALOGUE``.

Each module holds ``TEXTS: dict[str, dict[str, str]]`` keyed ``page.what`` with both languages, like the
catalogue itself; a key defined twice stops the import.
"""
