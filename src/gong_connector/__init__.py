"""gong-connector: a typed Python connector for Gong's API v2."""

__version__ = "0.1.0"
