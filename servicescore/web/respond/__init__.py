"""Respondents' pages: answering a survey from a public link or a personal invitation."""

from __future__ import annotations

from servicescore.web.respond.controller import InvitationPages, PublicLinkPages

RESPOND_HANDLERS = (PublicLinkPages, InvitationPages)

__all__ = ["RESPOND_HANDLERS", "InvitationPages", "PublicLinkPages"]
