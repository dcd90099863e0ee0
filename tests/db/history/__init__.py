"""A history for tests only: two revisions, the second of which can be made to fail."""
