"""Revisions of the inbox history, oldest first by number."""
