"""Accounts: creating users, the password policy and the login policy (sessions, throttling). Who a user is lives in
``servicescore.identity``; SQL in ``servicescore.db.accounts``."""
