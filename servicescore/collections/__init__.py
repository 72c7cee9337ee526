"""Collections: survey links and invitations, and the pure rules of answering a survey page by page.

Imports neither the web framework nor the ORM: ``web/respond`` parses requests and renders, ``db/`` stores.
"""
