"""Ways to authenticate to Gong: an API key, or OAuth 2.0 with a pluggable token store."""

from ._api_key import DEFAULT_BASE_URL, ApiKeyConnection
from ._common import Connection
from ._oauth import DEFAULT_OAUTH_BASE_URL, DEFAULT_SCOPES, GongOAuth, OAuthConnection
from ._token_store import FileTokenStore, MemoryTokenStore, OAuthToken, TokenStore

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_OAUTH_BASE_URL",
    "DEFAULT_SCOPES",
    "ApiKeyConnection",
    "Connection",
    "FileTokenStore",
    "GongOAuth",
    "MemoryTokenStore",
    "OAuthConnection",
    "OAuthToken",
    "TokenStore",
]
