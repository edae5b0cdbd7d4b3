"""Which service owns a path: a longest-prefix table over whole path segments.

The table follows ``spec/endpoints.tsv``. A rule may be limited to some methods (the one
action ``POST /entities/~/actions/assign_contract`` belongs to contracts, every other
``/entities`` path to assets) and may carry its own request-body limit. A method that no
documented row has is still forwarded: the owning service answers 405 itself. A ``*``
segment in a prefix matches any one segment (``/assets/*/documents``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

IDENTITY, ASSETS, CONTRACTS, IAM, CONSENTS, HEATMAPS = (
    "identity",
    "assets",
    "contracts",
    "iam",
    "consents",
    "heatmaps",
)
CONTEXTS = (IDENTITY, ASSETS, CONTRACTS, IAM, CONSENTS, HEATMAPS)

# Service-to-service endpoints live under this first segment and are never exposed.
INTERNAL_SEGMENT = "internal"


@dataclass(frozen=True, slots=True)
class Rule:
    prefix: str
    context: str
    methods: frozenset[str] | None = None  # None: every method
    max_body_bytes: int | None = None  # None: the gateway's default

    def covers(self, method: str, path: str) -> bool:
        if self.methods is not None and method not in self.methods:
            return False
        if "*" in self.prefix:
            wanted, given = self.prefix[1:].split("/"), path[1:].split("/")
            return len(given) >= len(wanted) and all(
                w in ("*", g) for w, g in zip(wanted, given, strict=False)
            )
        return path == self.prefix or path.startswith(self.prefix.rstrip("/") + "/")


@dataclass(frozen=True, slots=True)
class Match:
    context: str
    public: bool
    max_body_bytes: int | None


def _rules(context: str, *prefixes: str) -> list[Rule]:
    return [Rule(prefix, context) for prefix in prefixes]


MIB = 1024 * 1024
# A document upload (assets' ``DOCUMENT_MAX_BYTES``, 25 MiB by default) with room for the
# multipart framing and its text fields; every other body keeps the gateway's default limit.
# The service enforces its own limit on the file as it streams in.
DOCUMENT_UPLOAD_BYTES = 26 * MIB
DOCUMENT_UPLOADS = ("/assets/*/documents", "/entities/*/documents")


DEFAULT_RULES: tuple[Rule, ...] = (
    *_rules(
        IDENTITY,
        "/auth",
        "/auth2",
        "/users",
        "/parties",
        "/skillsets",
        "/jobtitles",
        "/templates",
        "/config",
        "/account",
        "/clients",
        "/.well-known",
    ),
    *_rules(ASSETS, "/assets", "/entities", "/industries", "/dynamicfields", "/search"),
    # Seed 003's JSend API: its asset reads and documents are the assets service's.
    *_rules(ASSETS, "/api/v1/assets", "/api/v1/entities"),
    *(
        Rule(prefix, ASSETS, methods=frozenset({"POST"}), max_body_bytes=DOCUMENT_UPLOAD_BYTES)
        for path in DOCUMENT_UPLOADS
        for prefix in (path, f"/api/v1{path}")
    ),
    *_rules(CONTRACTS, "/contracts", "/services"),
    Rule("/entities/~/actions/assign_contract", CONTRACTS, methods=frozenset({"POST"})),
    *_rules(IAM, "/groups", "/features", "/datazones"),
    *_rules(CONSENTS, "/consents"),
    *_rules(HEATMAPS, "/heatmaps"),
)

# Reachable with a client key alone (no access token): exact method and path.
DEFAULT_PUBLIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/auth/login"),
        ("POST", "/auth/login/second-factor"),
        ("POST", "/auth/refresh"),
        ("GET", "/.well-known/jwks.json"),
        ("POST", "/auth2/guests/initiate"),
        ("POST", "/auth2/guests/confirm"),
        ("PUT", "/auth/reset-password"),
        ("POST", "/auth/reset-password"),
        # Seed 001: the API root and its document need only the client key.
        ("GET", "/consents"),
        ("GET", "/consents/"),
        ("GET", "/consents/apiDoc"),
    }
)


def routable(path: str) -> bool:
    """Refuse paths an upstream could read differently from us: ``.``/``..`` or empty
    segments (a trailing slash is fine) and anything under ``/internal``."""
    if not path.startswith("/"):
        return False
    segments = path[1:].split("/")
    if segments[0] == INTERNAL_SEGMENT:
        return False
    inner = segments[:-1]
    return not any(s in ("", ".", "..") for s in inner) and segments[-1] not in (".", "..")


class RouteTable:
    def __init__(
        self,
        rules: Iterable[Rule] = DEFAULT_RULES,
        public: Iterable[tuple[str, str]] = DEFAULT_PUBLIC,
    ) -> None:
        # Longest prefix first; a method-specific rule wins over a general one of equal length.
        self._rules = sorted(rules, key=lambda r: (len(r.prefix), r.methods is not None), reverse=True)
        self._public = frozenset(public)

    def match(self, method: str, path: str) -> Match | None:
        method = method.upper()
        if not routable(path):
            return None
        for rule in self._rules:
            if rule.covers(method, path):
                return Match(rule.context, (method, path) in self._public, rule.max_body_bytes)
        return None
