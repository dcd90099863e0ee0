"""Proof that a webhook request comes from Gong, in either of Gong's two modes.

Modelled on slack-sdk's ``SignatureVerifier``: one object holding the secrets, one method
that returns the verified payload or raises. The receiver uses its two halves apart:
``authenticate`` needs only the headers and URL, so a request without valid credentials is
refused before its body is read; ``check_body`` then binds the body to the token. Nothing
here touches the network or a database.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from ..errors import PayloadTooLargeError, ValidationError, VerificationError
from ._payload import parse_payload

__all__ = ["DEFAULT_MAX_BODY_BYTES", "Credential", "WebhookVerifier", "load_public_key", "redact_url", "url_key_digest"]

#: Gong's payload is one call's extensive data; a few MB leaves room for long calls.
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
_ALGORITHM = "RS256"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SEGMENT = re.compile(rb"[A-Za-z0-9_-]*={0,2}")  # base64url, padding tolerated
_REQUIRED_CLAIMS = ("exp", "webhook_url", "body_sha256")


def load_public_key(key: str | bytes) -> RSAPublicKey:
    """Gong's RSA public key from PEM, or from the bare base64 DER that the rule page shows."""
    text = key.decode() if isinstance(key, bytes) else key
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            loaded = serialization.load_pem_public_key(text.encode())
        else:
            der = base64.b64decode("".join(text.split()), validate=True)
            loaded = serialization.load_der_public_key(der)
    except (ValueError, TypeError, binascii.Error):
        raise ValidationError("public_key", "rsa", "is not an RSA public key in PEM or base64 DER form") from None
    if not isinstance(loaded, RSAPublicKey):
        raise ValidationError("public_key", "rsa", "must be an RSA key: Gong signs with RS256")
    return loaded


def url_key_digest(url_key: str, salt: str | None = None) -> tuple[str, str]:
    """``(salt, hex SHA-256 of salt + key)``: what is kept of a URL key instead of the key."""
    salt = salt if salt is not None else secrets.token_hex(16)
    return salt, hashlib.sha256(salt.encode() + url_key.encode()).hexdigest()


def redact_url(url: str, params: tuple[str, ...] = ("key",)) -> str:
    """The URL with the values of secret query parameters replaced, for logs and messages."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [(k, "***" if k in params else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="*")))


@functools.lru_cache(maxsize=4096)
def _url_identity(url: str) -> tuple[str, str, int | None, str, tuple[tuple[str, str], ...]]:
    """What makes two spellings of one URL equal: case of scheme and host, default ports,
    percent-encoding; the query's order and values still count. Cached: a receiver sees the
    same few URLs (one per rule) again and again."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = -1
    return (
        scheme,
        (parts.hostname or "").lower(),
        port,
        unquote(parts.path or "/"),
        tuple(parse_qsl(parts.query, keep_blank_values=True)),
    )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


class Credential:
    """What ``authenticate`` proved: the body digest a signed token demands, if any."""

    __slots__ = ("body_sha256",)

    def __init__(self, body_sha256: str | None) -> None:
        self.body_sha256 = body_sha256


_URL_KEY_OK = Credential(None)


class WebhookVerifier:
    """Checks a Gong webhook request and returns its JSON payload, or raises.

    ``public_key`` (PEM or bare base64) enables the signed-JWT mode; ``url_key`` enables the
    URL-key mode, where the secret is the query parameter ``url_key_param`` of the webhook
    URL. Only a salted digest of the URL key is kept (``url_key_sha256=(salt, hex)`` gives
    that digest directly, as tenants store it). A request with an ``Authorization`` header
    is checked as a JWT when a public key is configured; otherwise the URL key is checked.
    ``clock`` is injectable for tests.
    """

    def __init__(
        self,
        *,
        public_key: str | bytes | RSAPublicKey | None = None,
        url_key: str | None = None,
        url_key_sha256: tuple[str, str] | None = None,
        url_key_param: str = "key",
        leeway: float = 60.0,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if public_key is None and not url_key and url_key_sha256 is None:
            raise ValidationError(
                "public_key", "required", "configure a public_key (signed JWT mode) or a url_key (URL key mode)"
            )
        if public_key is None or isinstance(public_key, RSAPublicKey):
            self._key = public_key
        else:
            self._key = load_public_key(public_key)  # parsed once: each request reuses the key object
        self._url_key = url_key_sha256 if url_key_sha256 is not None else (url_key_digest(url_key) if url_key else None)
        self.url_key_param = url_key_param
        self.leeway = leeway
        self.max_body_bytes = max_body_bytes
        self.clock = clock

    def __repr__(self) -> str:
        return f"WebhookVerifier(modes={self.modes!r}, leeway={self.leeway:g})"

    @property
    def modes(self) -> list[str]:
        return [m for m, on in (("jwt", self._key is not None), ("url_key", self._url_key is not None)) if on]

    def verify(self, body: bytes, headers: Mapping[str, str], url: str) -> dict[str, Any]:
        """The payload of a request Gong sent to ``url`` (the public URL it was sent to).

        Raises ``PayloadTooLargeError``, ``VerificationError`` or ``MalformedPayloadError``,
        in that order of checks, so that nothing unauthenticated is ever parsed.
        """
        if len(body) > self.max_body_bytes:
            raise PayloadTooLargeError(f"body over {self.max_body_bytes} bytes")
        self.check_body(body, self.authenticate(headers, url))
        return parse_payload(body)[1]

    def authenticate(self, headers: Mapping[str, str], url: str) -> Credential:
        """Check the credentials, which need no body: the token's signature, times and URL,
        or the URL key. Raises ``VerificationError``."""
        authorization = _header(headers, "Authorization")
        if authorization and self._key is not None:
            return Credential(self._check_jwt(authorization, url))
        if self._url_key is not None:
            self._check_url_key(url)
            return _URL_KEY_OK
        raise VerificationError("missing Authorization header")

    @staticmethod
    def check_body(body: bytes, credential: Credential) -> None:
        """The body is the one the token was signed for (nothing to check in URL-key mode)."""
        digest = credential.body_sha256
        if digest is None:
            return
        actual = hashlib.sha256(body).hexdigest()
        if not hmac.compare_digest(digest.lower().encode(), actual.encode()):
            raise VerificationError("token's body_sha256 does not match the body")

    def _check_jwt(self, authorization: str, url: str) -> str:
        token = authorization.strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        assert self._key is not None
        claims = _decode_rs256(token, self._key)
        now = self.clock()
        exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf")
        if not isinstance(exp, int | float) or isinstance(exp, bool) or now > exp + self.leeway:
            raise VerificationError("token has expired")
        if (iat is not None and (not _is_number(iat) or iat > now + self.leeway)) or (
            nbf is not None and (not _is_number(nbf) or nbf > now + self.leeway)
        ):
            raise VerificationError("token is not valid yet")
        claimed_url = claims["webhook_url"]
        if not isinstance(claimed_url, str) or _url_identity(claimed_url) != _url_identity(url):
            raise VerificationError("token's webhook_url is not this receiver's URL (check public_url)")
        digest = claims["body_sha256"]
        if not isinstance(digest, str) or len(digest) != 64:
            raise VerificationError("token's body_sha256 is not a SHA-256 hex digest")
        return digest

    def _check_url_key(self, url: str) -> None:
        assert self._url_key is not None
        values = [v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k == self.url_key_param]
        if len(values) != 1:
            raise VerificationError(f"URL key missing (query parameter {self.url_key_param!r})")
        salt, expected = self._url_key
        if not hmac.compare_digest(url_key_digest(values[0], salt)[1].encode(), expected.encode()):
            raise VerificationError("URL key does not match")


def _decode_rs256(token: str, key: RSAPublicKey) -> dict[str, Any]:
    """The claims of a compact JWS signed with ``key`` by RS256, or ``VerificationError``.

    The algorithm is ours, never the token's: anything but RS256 (``none``, HS256 keyed
    with the public key, ...) is refused before the signature is looked at. Written out
    rather than through PyJWT, whose character-by-character base64 check cost more than
    the RSA verification itself (measured: 0.5 ms a token).
    """
    try:
        segments = token.encode("ascii").split(b".")
    except UnicodeEncodeError:
        raise VerificationError("Authorization header is not a valid JWT") from None
    if len(segments) != 3 or not all(_SEGMENT.fullmatch(s) for s in segments):
        raise VerificationError("Authorization header is not a valid JWT")
    header_b64, claims_b64, signature_b64 = segments
    try:
        header = json.loads(_unbase64(header_b64))
        signature = _unbase64(signature_b64)
    except (ValueError, RecursionError, binascii.Error):
        raise VerificationError("Authorization header is not a valid JWT") from None
    if not isinstance(header, dict):
        raise VerificationError("Authorization header is not a valid JWT")
    if header.get("alg") != _ALGORITHM:
        raise VerificationError(f"token is not signed with {_ALGORITHM}")
    if "crit" in header:  # extensions we would have to understand (RFC 7515 4.1.11)
        raise VerificationError("token has critical header extensions")
    try:
        key.verify(signature, header_b64 + b"." + claims_b64, PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise VerificationError("token signature does not verify with the configured key") from None
    try:
        claims = json.loads(_unbase64(claims_b64))
    except (ValueError, RecursionError, binascii.Error):
        raise VerificationError("Authorization header is not a valid JWT") from None
    if not isinstance(claims, dict):
        raise VerificationError("Authorization header is not a valid JWT")
    for name in _REQUIRED_CLAIMS:
        if name not in claims:
            raise VerificationError(f"token lacks the {name!r} claim")
    return claims


def _unbase64(segment: bytes) -> bytes:
    stripped = segment.rstrip(b"=")
    return base64.urlsafe_b64decode(stripped + b"=" * (-len(stripped) % 4))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
