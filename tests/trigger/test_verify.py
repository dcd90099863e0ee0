"""``WebhookVerifier`` on its own: key formats, URL matching, and what its errors reveal."""

from __future__ import annotations

import textwrap

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gong_connector.trigger import (
    MalformedPayloadError,
    PayloadTooLargeError,
    VerificationError,
    WebhookVerifier,
    load_public_key,
    redact_url,
)

from .conftest import FakeClock, GongSigner, payload

URL = "https://hooks.example.com/gong?rule=Renewals"


def test_key_formats(gong_signer: GongSigner) -> None:
    """PEM, bare base64 (as the rule page shows it) and base64 broken over lines all load."""
    wrapped = "\n".join(textwrap.wrap(gong_signer.public_key_base64, 64))
    numbers = {
        load_public_key(k).public_numbers()
        for k in (
            gong_signer.public_key_pem,
            gong_signer.public_key_base64,
            f"  {wrapped}\n",
            gong_signer.public_key_pem.encode(),
        )
    }
    assert len(numbers) == 1


@pytest.mark.parametrize("key", ["", "not base64 at all!", "bm90LWEta2V5", "-----BEGIN PUBLIC KEY-----\nxx\n"])
def test_bad_keys_are_refused_at_construction(key: str) -> None:
    with pytest.raises(ValueError, match="RSA public key"):
        WebhookVerifier(public_key=key)


def test_non_rsa_key_is_refused() -> None:
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with pytest.raises(ValueError, match="RS256"):
        WebhookVerifier(public_key=pem)


def test_a_mode_is_required() -> None:
    with pytest.raises(ValueError):
        WebhookVerifier()


@pytest.mark.parametrize(
    "served",
    [
        URL,
        "HTTPS://Hooks.Example.com:443/gong?rule=Renewals",
        "https://hooks.example.com/gong?rule=Renewals",
        "https://hooks.example.com/%67ong?rule=Renewals",
    ],
)
def test_equivalent_spellings_of_the_url_match(gong_signer: GongSigner, served: str) -> None:
    verifier = WebhookVerifier(public_key=gong_signer.public_key_base64)
    body = payload()
    assert verifier.verify(body, {"authorization": gong_signer.token(URL, body)}, served)["isTest"] is False


@pytest.mark.parametrize(
    "served",
    [
        "http://hooks.example.com/gong?rule=Renewals",
        "https://hooks.example.com:8443/gong?rule=Renewals",
        "https://hooks.example.com/gong/?rule=Renewals",
        "https://hooks.example.com/gong?rule=Churn",
        "https://hooks.example.com/gong",
        "https://evil.example.com/gong?rule=Renewals",
    ],
)
def test_other_urls_do_not(gong_signer: GongSigner, served: str) -> None:
    verifier = WebhookVerifier(public_key=gong_signer.public_key_base64)
    body = payload()
    with pytest.raises(VerificationError, match="webhook_url"):
        verifier.verify(body, {"Authorization": gong_signer.token(URL, body)}, served)


def test_order_of_checks_size_then_auth_then_json(gong_signer: GongSigner) -> None:
    verifier = WebhookVerifier(public_key=gong_signer.public_key_base64, max_body_bytes=10)
    with pytest.raises(PayloadTooLargeError):
        verifier.verify(b"x" * 11, {}, URL)
    verifier = WebhookVerifier(public_key=gong_signer.public_key_base64)
    with pytest.raises(VerificationError):
        verifier.verify(b"{", {}, URL)
    with pytest.raises(MalformedPayloadError):
        verifier.verify(b"{", {"Authorization": gong_signer.token(URL, b"{")}, URL)


def test_clock_is_injected(gong_signer: GongSigner) -> None:
    clock = FakeClock()
    verifier = WebhookVerifier(public_key=gong_signer.public_key_base64, clock=clock, leeway=5)
    body = payload()
    token = gong_signer.token(URL, body, now=clock.now, ttl=300)
    clock.advance(305)
    verifier.verify(body, {"Authorization": token}, URL)
    clock.advance(1)
    with pytest.raises(VerificationError, match="expired"):
        verifier.verify(body, {"Authorization": token}, URL)


def test_errors_and_repr_never_show_the_url_key() -> None:
    verifier = WebhookVerifier(url_key="the-secret")
    with pytest.raises(VerificationError) as caught:
        verifier.verify(payload(), {}, f"{URL}&key=the-secre")
    assert "the-secre" not in str(caught.value) and "the-secret" not in repr(verifier)
    assert redact_url(f"{URL}&key=the-secret") == "https://hooks.example.com/gong?rule=Renewals&key=***"
    assert redact_url("https://h/x") == "https://h/x"


def test_both_modes_configured(gong_signer: GongSigner) -> None:
    """With a header the JWT decides; without one the URL key does."""
    verifier = WebhookVerifier(public_key=gong_signer.public_key_base64, url_key="k")
    body = payload()
    assert verifier.verify(body, {}, f"{URL}&key=k")
    with pytest.raises(VerificationError):
        verifier.verify(body, {"Authorization": "garbage"}, f"{URL}&key=k")
