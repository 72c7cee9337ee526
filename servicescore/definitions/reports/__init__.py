"""Report definitions (`reports/*.yaml`) and brands (`reports/brands/*.yaml`): what a report holds and how it looks,
validated like the instrument definitions beside them. Pure: no web, no database; `reporting/` builds and prints."""
