"""Thin controllers per kind of user, the guards in front of them, and the page helpers they share."""
