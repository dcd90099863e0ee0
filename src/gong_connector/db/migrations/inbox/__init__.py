"""The inbox history: env.py and versions/."""
