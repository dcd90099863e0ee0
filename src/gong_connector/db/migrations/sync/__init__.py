"""The sync history: env.py and versions/."""
