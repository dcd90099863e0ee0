"""Revisions of the sync history, oldest first by number."""
