"""The access-token verifier against a real JWKS endpoint (a uvicorn server on a free port):
one good token passes, and every kind of bad token is a 401 ``InvalidToken``."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from proximity.auth.jwks import JwksClient
from proximity.auth.verifier import InvalidToken, TokenVerifier
from proximity.errors import ServiceUnavailable

AUDIENCE = "proximity"
ISSUER = "proximity-identity"
JWKS_PATH = "/.well-known/jwks.json"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class SigningKey:
    kid: str
    private: Any
    algorithm: str

    @classmethod
    def ed25519(cls, kid: str | None = None) -> SigningKey:
        return cls(kid or uuid.uuid4().hex, Ed25519PrivateKey.generate(), "EdDSA")

    def public_jwk(self) -> dict[str, Any]:
        kind: Any = {"EdDSA": OKPAlgorithm, "ES256": ECAlgorithm, "RS256": RSAAlgorithm}[self.algorithm]
        jwk: dict[str, Any] = json.loads(kind.to_jwk(self.private.public_key()))
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        return jwt.encode(claims, self.private, algorithm=self.algorithm, headers={"kid": self.kid, **header})


@dataclass
class JwksServer:
    """What identity serves at ``/.well-known/jwks.json``; counts how often it is asked."""

    keys: list[dict[str, Any]] = field(default_factory=list)
    fetches: int = 0
    broken: bool = False

    def app(self) -> Starlette:
        async def jwks(_: Request) -> Response:
            self.fetches += 1
            if self.broken:
                return PlainTextResponse("upstream exploded", status_code=500)
            return JSONResponse({"keys": self.keys})

        return Starlette(routes=[Route(JWKS_PATH, jwks)])


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": str(uuid.uuid4()),
        "tid": str(uuid.uuid4()),
        "pid": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        "perms": ["assets.read"],
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + 900,
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not ...}


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.ed25519()


@pytest.fixture
async def jwks(key: SigningKey, serve_app: Callable[..., Any]) -> tuple[JwksServer, str]:
    served = JwksServer(keys=[key.public_jwk()])
    url = await serve_app(served.app())
    return served, url + JWKS_PATH


def verifier_for(url: str, **options: Any) -> TokenVerifier:
    return TokenVerifier(JwksClient(url, **options), audience=AUDIENCE, issuer=ISSUER)


@pytest.fixture
def verifier(jwks: tuple[JwksServer, str]) -> TokenVerifier:
    return verifier_for(jwks[1])


async def test_a_good_token_is_verified(verifier: TokenVerifier, key: SigningKey) -> None:
    payload = claims(adm=True, perms=["assets.read", "assets.write"])

    verified = await verifier.verify(key.sign(payload))

    assert verified.subject == payload["sub"]
    assert str(verified.tenant_id) == payload["tid"]
    assert str(verified.party_id) == payload["pid"]
    assert str(verified.session_id) == payload["sid"]
    assert verified.permissions == {"assets.read", "assets.write"}
    assert verified.system_admin is True
    assert verified.expires_at == payload["exp"]


async def test_keys_are_fetched_once_and_cached(
    verifier: TokenVerifier, key: SigningKey, jwks: tuple[JwksServer, str]
) -> None:
    for _ in range(5):
        await verifier.verify(key.sign(claims()))

    assert jwks[0].fetches == 1


async def test_a_cold_cache_is_filled_by_one_fetch_under_load(
    verifier: TokenVerifier, key: SigningKey, jwks: tuple[JwksServer, str]
) -> None:
    await asyncio.gather(*(verifier.verify(key.sign(claims())) for _ in range(20)))

    assert jwks[0].fetches == 1


async def test_the_other_asymmetric_algorithms_are_accepted(
    jwks: tuple[JwksServer, str], verifier: TokenVerifier
) -> None:
    es = SigningKey(uuid.uuid4().hex, ec.generate_private_key(ec.SECP256R1()), "ES256")
    rs = SigningKey(uuid.uuid4().hex, rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256")
    jwks[0].keys += [es.public_jwk(), rs.public_jwk()]

    for signer in (es, rs):
        assert (await verifier.verify(signer.sign(claims(sub="u-" + signer.algorithm)))).subject.startswith(
            "u-"
        )


def alg_none(kid: str, payload: dict[str, Any]) -> str:
    header = b64(json.dumps({"alg": "none", "kid": kid, "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}."


def hs256(secret: bytes, kid: str, payload: dict[str, Any]) -> str:
    signing_input = ".".join(
        (
            b64(json.dumps({"alg": "HS256", "kid": kid, "typ": "JWT"}).encode()),
            b64(json.dumps(payload).encode()),
        )
    )
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def ed25519_with_header(key: SigningKey, header: dict[str, Any], payload: dict[str, Any]) -> str:
    """Signed properly, with a header PyJWT itself would refuse to write."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64(key.private.sign(signing_input.encode()))}"


def raw_public(key: SigningKey) -> bytes:
    return bytes(
        key.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def pem_public(key: SigningKey) -> bytes:
    return bytes(
        key.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["adm"] = True
    return ".".join((header, b64(json.dumps(body).encode()), signature))


BAD_TOKENS: dict[str, Callable[[SigningKey], str]] = {
    "expired": lambda k: k.sign(claims(iat=int(time.time()) - 3600, exp=int(time.time()) - 60)),
    "issued in the future": lambda k: k.sign(claims(iat=int(time.time()) + 3600)),
    "not yet valid": lambda k: k.sign(claims(nbf=int(time.time()) + 3600)),
    "wrong audience": lambda k: k.sign(claims(aud="another-system")),
    "wrong issuer": lambda k: k.sign(claims(iss="someone-else")),
    "missing issuer": lambda k: k.sign(claims(iss=...)),
    "missing tid": lambda k: k.sign(claims(tid=...)),
    "missing sub": lambda k: k.sign(claims(sub=...)),
    "missing exp": lambda k: k.sign(claims(exp=...)),
    "missing aud": lambda k: k.sign(claims(aud=...)),
    "missing iat": lambda k: k.sign(claims(iat=...)),
    "tid not a uuid": lambda k: k.sign(claims(tid="tenant-1")),
    "perms not a list": lambda k: k.sign(claims(perms="assets.read")),
    "alg none": lambda k: alg_none(k.kid, claims()),
    "alg none, signature kept": lambda k: alg_none(k.kid, claims()) + k.sign(claims()).split(".")[2],
    "HS256 with the raw public key": lambda k: hs256(raw_public(k), k.kid, claims()),
    "HS256 with the PEM public key": lambda k: hs256(pem_public(k), k.kid, claims()),
    "HS256 with the JWK x": lambda k: hs256(k.public_jwk()["x"].encode(), k.kid, claims()),
    "unknown kid": lambda k: SigningKey(uuid.uuid4().hex, k.private, "EdDSA").sign(claims()),
    "no kid": lambda k: jwt.encode(claims(), k.private, algorithm="EdDSA"),
    "numeric kid": lambda k: ed25519_with_header(k, {"alg": "EdDSA", "kid": 7}, claims()),
    "another key with the same kid": lambda k: SigningKey.ed25519(k.kid).sign(claims()),
    "tampered payload": lambda k: tampered(k.sign(claims())),
    "signature cut off": lambda k: k.sign(claims()).rsplit(".", 1)[0] + ".",
    "ES256 header on an EdDSA key": lambda k: SigningKey(
        k.kid, ec.generate_private_key(ec.SECP256R1()), "ES256"
    ).sign(claims()),
    "RS256 header on an EdDSA key": lambda k: SigningKey(
        k.kid, rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256"
    ).sign(claims()),
    "garbage": lambda k: "not a token at all",
    "three garbage parts": lambda k: "abc.def.ghi",
    "empty": lambda k: "",
}


@pytest.fixture
async def in_process_verifier(key: SigningKey) -> AsyncIterator[TokenVerifier]:
    """The JWKS served over ASGI in-process: as real to the verifier, quicker to set up."""
    transport = httpx.ASGITransport(app=JwksServer(keys=[key.public_jwk()]).app())
    async with httpx.AsyncClient(transport=transport) as http:
        jwks = JwksClient(f"http://identity{JWKS_PATH}", http=http)
        yield TokenVerifier(jwks, audience=AUDIENCE, issuer=ISSUER)


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
async def test_a_bad_token_is_rejected(
    in_process_verifier: TokenVerifier, key: SigningKey, kind: str
) -> None:
    verifier = in_process_verifier
    await verifier.verify(key.sign(claims()))  # the same verifier accepts a good token

    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(BAD_TOKENS[kind](key))

    assert caught.value.status == 401
    assert caught.value.code == "eInvalidToken"


async def test_an_unknown_kid_fetches_a_rotated_key(jwks: tuple[JwksServer, str], key: SigningKey) -> None:
    served, url = jwks
    verifier = verifier_for(url, min_refresh_interval=0.3)
    await verifier.verify(key.sign(claims()))
    rotated = SigningKey.ed25519()
    served.keys.append(rotated.public_jwk())  # identity rotated after our first fetch

    with pytest.raises(InvalidToken):  # too soon after the last fetch to ask again
        await verifier.verify(rotated.sign(claims()))
    assert served.fetches == 1

    await asyncio.sleep(0.35)
    verified = await verifier.verify(rotated.sign(claims(sub="after-rotation")))

    assert verified.subject == "after-rotation"
    assert served.fetches == 2
    await verifier.verify(key.sign(claims()))  # the old key is still served and cached
    assert served.fetches == 2


async def test_unknown_kids_do_not_refetch_within_the_interval(
    jwks: tuple[JwksServer, str], key: SigningKey
) -> None:
    served, url = jwks
    verifier = verifier_for(url, min_refresh_interval=60)
    await verifier.verify(key.sign(claims()))

    for _ in range(10):
        with pytest.raises(InvalidToken):
            await verifier.verify(SigningKey.ed25519().sign(claims()))

    assert served.fetches == 1


async def test_keys_are_refetched_after_max_age_and_a_withdrawn_key_stops_working(
    jwks: tuple[JwksServer, str], key: SigningKey
) -> None:
    served, url = jwks
    verifier = verifier_for(url, max_age=0.3, min_refresh_interval=0)
    await verifier.verify(key.sign(claims()))
    replacement = SigningKey.ed25519()
    served.keys = [replacement.public_jwk()]

    await asyncio.sleep(0.35)
    # The stale cache still answers, and starts a refresh in the background...
    await verifier.verify(key.sign(claims()))
    async with asyncio.timeout(10):
        while served.fetches < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        while True:  # ...which the withdrawn key does not survive
            try:
                await verifier.verify(key.sign(claims()))
            except InvalidToken:
                break
            await asyncio.sleep(0.01)

    await verifier.verify(replacement.sign(claims()))


async def test_keys_we_cannot_use_are_skipped(jwks: tuple[JwksServer, str], key: SigningKey) -> None:
    served, url = jwks
    served.keys = [{"kty": "XYZ", "kid": "odd"}, {"kty": "OKP", "crv": "Ed25519"}, key.public_jwk()]

    assert (await verifier_for(url).verify(key.sign(claims(sub="still-fine")))).subject == "still-fine"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_jwks_is_503(key: SigningKey) -> None:
    verifier = verifier_for(f"http://127.0.0.1:{closed_port()}{JWKS_PATH}")

    with pytest.raises(ServiceUnavailable) as caught:
        await verifier.verify(key.sign(claims()))

    assert caught.value.status == 503
    assert caught.value.code == "eServiceUnavailable"


async def test_failing_jwks_is_503(jwks: tuple[JwksServer, str], key: SigningKey) -> None:
    served, url = jwks
    served.broken = True

    with pytest.raises(ServiceUnavailable):
        await verifier_for(url).verify(key.sign(claims()))


async def test_a_jwks_that_is_not_json_is_503(key: SigningKey, serve_app: Callable[..., Any]) -> None:
    async def html(_: Request) -> Response:
        return PlainTextResponse("<html>maintenance</html>", media_type="text/html")

    base = await serve_app(Starlette(routes=[Route(JWKS_PATH, html)]))

    with pytest.raises(ServiceUnavailable):
        await verifier_for(base + JWKS_PATH).verify(key.sign(claims()))


async def test_jwks_through_a_given_http_client(key: SigningKey) -> None:
    served = JwksServer(keys=[key.public_jwk()])
    transport = httpx.ASGITransport(app=served.app())
    async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
        verifier = TokenVerifier(
            JwksClient(f"http://identity{JWKS_PATH}", http=http), audience=AUDIENCE, issuer=ISSUER
        )

        verified = await verifier.verify(key.sign(claims(sub="via-asgi")))

    assert verified.subject == "via-asgi"
    assert served.fetches == 1


async def test_without_an_issuer_any_issuer_is_accepted(
    jwks: tuple[JwksServer, str], key: SigningKey
) -> None:
    verifier = TokenVerifier(JwksClient(jwks[1]), audience=AUDIENCE)

    assert (await verifier.verify(key.sign(claims(iss=...)))).tenant_id


# --- identity slow or down: the cache keeps verifying ---------------------------------------


@dataclass
class HeldJwks:
    """A JWKS endpoint that can be made to hold every request until released, then fail."""

    keys: list[dict[str, Any]]
    fetches: int = 0
    waiting: int = 0
    failing: bool = False
    held: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.held.set()  # answering at once

    def app(self) -> Starlette:
        async def jwks(_: Request) -> Response:
            self.fetches += 1
            self.waiting += 1
            try:
                await self.held.wait()
            finally:
                self.waiting -= 1
            if self.failing:
                return PlainTextResponse("identity is down", status_code=503)
            return JSONResponse({"keys": self.keys})

        return Starlette(routes=[Route(JWKS_PATH, jwks)])


async def until(condition: Callable[[], bool], within: float = 10.0) -> bool:
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    return True


async def test_a_stale_cache_keeps_verifying_while_identity_hangs_then_fails(
    key: SigningKey, serve_app: Callable[..., Any]
) -> None:
    """50 verifications with a stale cache while identity holds its answer: one fetch, and
    nobody waits for it (its timeout is a minute); then identity fails, and the known key
    still verifies without a fetch storm (backoff), and unknown kids fetch nothing."""
    served = HeldJwks(keys=[key.public_jwk()])
    url = await serve_app(served.app()) + JWKS_PATH
    jwks = JwksClient(url, max_age=0, min_refresh_interval=0, retry_after_failure=300, timeout=60)
    verifier = TokenVerifier(jwks, audience=AUDIENCE, issuer=ISSUER)
    await verifier.verify(key.sign(claims()))  # the cache filled, and stale from now on
    served.held.clear()

    try:
        async with asyncio.timeout(30):  # generous: a caller waiting on the fetch would wait 60 s
            verified = await asyncio.gather(
                *(verifier.verify(key.sign(claims(sub=f"u{n}"))) for n in range(50))
            )
        assert [claim.subject for claim in verified] == [f"u{n}" for n in range(50)]
        assert await until(lambda: served.waiting == 1)  # the one refresh, still held by identity
        assert served.fetches == 2
        served.failing = True
    finally:
        served.held.set()  # else the server would wait for its held requests at shutdown

    assert await until(lambda: served.waiting == 0)
    await asyncio.sleep(0)  # the failed refresh settles
    after = await asyncio.gather(*(verifier.verify(key.sign(claims(sub=f"v{n}"))) for n in range(50)))
    for _ in range(5):
        with pytest.raises(InvalidToken):
            await verifier.verify(SigningKey.ed25519().sign(claims()))

    assert [claim.subject for claim in after] == [f"v{n}" for n in range(50)]
    assert served.fetches == 2


async def test_a_cold_cache_with_identity_down_fails_fast_after_one_fetch(
    key: SigningKey, serve_app: Callable[..., Any]
) -> None:
    served = HeldJwks(keys=[key.public_jwk()], failing=True)
    url = await serve_app(served.app()) + JWKS_PATH
    verifier = TokenVerifier(JwksClient(url, retry_after_failure=300), audience=AUDIENCE, issuer=ISSUER)

    results = await asyncio.gather(
        *(verifier.verify(key.sign(claims())) for _ in range(20)), return_exceptions=True
    )
    for _ in range(5):
        with pytest.raises(ServiceUnavailable):
            await verifier.verify(key.sign(claims()))

    assert all(isinstance(result, ServiceUnavailable) for result in results)
    assert served.fetches == 1
