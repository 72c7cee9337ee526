"""The shopper's part: the sync API the phone talks to, the photo API, and the server-rendered visit pages."""
