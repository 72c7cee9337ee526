"""Accounts: roles, password hashing, session tokens and the login policy. SQL lives in ``servicescore.db.accounts``."""
