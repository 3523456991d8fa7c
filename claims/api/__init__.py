"""The REST API under /api/v1/: read-only for everyone, writes with a token and permission."""
