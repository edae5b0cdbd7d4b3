"""Offline checks of the operator-facing deployment files.

Dockerfiles, ``docker-compose.yml`` and the Kubernetes manifests in ``deploy/k8s`` describe
the same system; these tests parse them (no Docker engine, no cluster, no network) and
check that they agree with each other and with the facts the services' code is built on.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from proximity.devstack.embedded import nats_server_binary
from proximity.events.bus_permissions import ADMIN, users_of
from proximity.events.nats_config import deployment_authorization, password_variable
from proximity.http.server_protocol import HTTP_PROTOCOL

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
COMPOSE_FILE = ROOT / "docker-compose.yml"
INIT_SQL = ROOT / "deploy" / "postgres" / "init-databases.sql"
NATS_AUTH = ROOT / "deploy" / "nats" / "auth.conf"
NAMESPACE = "proximity"
PART_OF = "proximity"

POSTGRES_IMAGE = "postgres:16-alpine"
NATS_IMAGE = "nats:2.10-alpine"
SEED_COMMAND = ["python", "-m", "identity.seed"]


# identity's outgoing mail (identity/config.py): the relay and sender are settings, the login
# is a secret. Compose talks to its Mailpit, a cluster to the operator's relay.
SMTP_SETTINGS = frozenset({"SMTP_HOST", "SMTP_PORT", "SMTP_FROM", "SMTP_TLS"})
SMTP_SECRETS = frozenset({"SMTP_USERNAME", "SMTP_PASSWORD"})
SMTP_ENV = SMTP_SETTINGS | SMTP_SECRETS
SMTP_TLS_MODES = {"auto", "starttls", "tls", "none"}
# In Kubernetes these come from a Secret, never from a value or a ConfigMap.
SECRET_ENV = SMTP_SECRETS | {"SERVICE_CREDENTIALS", "SECOND_FACTOR_KEY"}
# Each process's own user on the bus; a service owning a stream sets its replicas.
BUS_ENV = frozenset({"NATS_USER", "NATS_PASSWORD"})
STREAM_ENV = frozenset({"EVENTS_STREAM_REPLICAS"})
# Settings that rightly differ between compose and a cluster (one NATS node there, three here).
CLUSTER_SPECIFIC = {
    "DATABASE_URL",
    "SERVICE_CREDENTIALS",
    "SERVICE_SECRET",
    "SECOND_FACTOR_KEY",
    "NATS_PASSWORD",
    "EVENTS_STREAM_REPLICAS",
    *SMTP_ENV,
}
MAILPIT_IMAGE = "axllent/mailpit:v1.31.1"
# An empty *_URL: the service it names is not deployed yet (the setting is unset).
NOT_DEPLOYED = ""


@dataclass(frozen=True)
class App:
    """What the code of one service fixes: where it lives, how it starts, what it reads."""

    name: str
    dockerfile: str
    source_dir: str
    image: str
    port: int
    factory: str
    env: frozenset[str]
    database: str | None = None
    required_copies: tuple[str, ...] = field(default=())
    # The import package whose migrations `python -m proximity.db.migrate` applies.
    package: str | None = None

    @property
    def migrate_command(self) -> list[str]:
        assert self.package, f"{self.name} has no database to migrate"
        return ["python", "-m", "proximity.db.migrate", self.package]

    @property
    def command(self) -> list[str]:
        return [
            "uvicorn",
            self.factory,
            "--factory",
            "--http",
            HTTP_PROTOCOL,
            "--host",
            "0.0.0.0",
            "--port",
            str(self.port),
        ]


APPS = {
    "identity": App(
        name="identity",
        dockerfile="services/identity/Dockerfile",
        source_dir="services/identity",
        image="proximity/identity:0.1.0",
        port=8001,
        factory="identity.app:create_app",
        env=frozenset({"DATABASE_URL", "NATS_URL", "PORT", "LOG_LEVEL", "JWT_AUDIENCE"})
        | BUS_ENV
        | STREAM_ENV
        | SMTP_ENV
        | {"SERVICE_CREDENTIALS", "SERVICE_SCOPES", "SECOND_FACTOR_KEY"},
        database="identity",
        required_copies=("libs", "services/identity"),
        package="identity",
    ),
    "assets": App(
        name="assets",
        dockerfile="services/assets/Dockerfile",
        source_dir="services/assets",
        image="proximity/assets:0.1.0",
        port=8002,
        factory="assets.app:create_app",
        # assets/config.py: the shared ServiceSettings (and its hierarchy depth); it checks its
        # callers again itself, tokens with the JWKS and client keys with identity.
        env=frozenset(
            {"DATABASE_URL", "NATS_URL", "JWKS_URL", "IDENTITY_URL", "PORT", "LOG_LEVEL", "JWT_AUDIENCE"}
        )
        | BUS_ENV
        | STREAM_ENV
        # Where contract link writes go, and the secret of the service tokens they carry.
        | {"CONTRACTS_URL", "SERVICE_SECRET"},
        database="assets",
        required_copies=("libs", "services/assets"),
        package="assets",
    ),
    "contracts": App(
        name="contracts",
        dockerfile="services/contracts/Dockerfile",
        source_dir="services/contracts",
        image="proximity/contracts:0.1.0",
        port=8003,
        factory="contracts.app:create_app",
        # contracts/config.py: the shared ServiceSettings; it checks its callers again itself
        # (users' tokens, client keys with identity, assets' service tokens).
        env=frozenset(
            {"DATABASE_URL", "NATS_URL", "JWKS_URL", "IDENTITY_URL", "PORT", "LOG_LEVEL", "JWT_AUDIENCE"}
        )
        | BUS_ENV
        | STREAM_ENV,
        database="contracts",
        required_copies=("libs", "services/contracts"),
        package="contracts",
    ),
    "iam": App(
        name="iam",
        dockerfile="services/iam/Dockerfile",
        source_dir="services/iam",
        image="proximity/iam:0.1.0",
        port=8004,
        factory="iam.app:create_app",
        # iam/config.py: the shared ServiceSettings; it checks its callers again itself,
        # tokens with the JWKS and client keys with identity.
        env=frozenset(
            {"DATABASE_URL", "NATS_URL", "JWKS_URL", "IDENTITY_URL", "PORT", "LOG_LEVEL", "JWT_AUDIENCE"}
        )
        | BUS_ENV
        | STREAM_ENV,
        database="iam",
        required_copies=("libs", "services/iam"),
        package="iam",
    ),
    "consents": App(
        name="consents",
        dockerfile="services/consents/Dockerfile",
        source_dir="services/consents",
        image="proximity/consents:0.1.0",
        port=8005,
        factory="consents.app:create_app",
        # consents/config.py: the shared ServiceSettings; it checks its callers again itself,
        # tokens with the JWKS and client keys with identity.
        env=frozenset(
            {"DATABASE_URL", "NATS_URL", "JWKS_URL", "IDENTITY_URL", "PORT", "LOG_LEVEL", "JWT_AUDIENCE"}
        )
        | BUS_ENV
        | STREAM_ENV,
        database="consents",
        required_copies=("libs", "services/consents"),
        package="consents",
    ),
    "heatmaps": App(
        name="heatmaps",
        dockerfile="services/heatmaps/Dockerfile",
        source_dir="services/heatmaps",
        image="proximity/heatmaps:0.1.0",
        port=8006,
        factory="heatmaps.app:create_app",
        # heatmaps/config.py: the shared ServiceSettings; it checks its callers again itself,
        # tokens with the JWKS and client keys with identity.
        env=frozenset(
            {"DATABASE_URL", "NATS_URL", "JWKS_URL", "IDENTITY_URL", "PORT", "LOG_LEVEL", "JWT_AUDIENCE"}
        )
        | BUS_ENV
        | STREAM_ENV,
        database="heatmaps",
        required_copies=("libs", "services/heatmaps"),
        package="heatmaps",
    ),
    "gateway": App(
        name="gateway",
        dockerfile="gateway/Dockerfile",
        source_dir="gateway",
        image="proximity/gateway:0.1.0",
        port=8000,
        factory="gateway.app:create_app",
        env=frozenset(
            {
                "NATS_URL",
                "JWKS_URL",
                "IDENTITY_URL",
                "ASSETS_URL",
                "CONTRACTS_URL",
                "IAM_URL",
                "CONSENTS_URL",
                "HEATMAPS_URL",
                "PORT",
                "LOG_LEVEL",
                "MAX_BODY_BYTES",
            }
        )
        | BUS_ENV,
        required_copies=("libs", "gateway"),
    ),
}
APP_PARAMS = pytest.mark.parametrize("app", list(APPS.values()), ids=list(APPS))
# The services behind the gateway that own a database (and migrate it before they start).
DATABASE_APPS = [a for a in APPS.values() if a.database]
DATABASE_APP_PARAMS = pytest.mark.parametrize("app", DATABASE_APPS, ids=[a.name for a in DATABASE_APPS])

# The values every consumer must agree on (compose and Kubernetes).
EXPECTED_VALUES = {
    "JWT_AUDIENCE": "proximity",
    "JWKS_URL": "http://identity:8001/.well-known/jwks.json",
    "IDENTITY_URL": "http://identity:8001",
    "ASSETS_URL": "http://assets:8002",
    "CONTRACTS_URL": "http://contracts:8003",
    "IAM_URL": "http://iam:8004",
    "CONSENTS_URL": "http://consents:8005",
    "HEATMAPS_URL": "http://heatmaps:8006",
    "MAX_BODY_BYTES": "10485760",
    "NATS_URL": "nats://nats:4222",
}


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Instruction:
    keyword: str
    value: str


@cache
def dockerfile(path: str) -> tuple[Instruction, ...]:
    """A Dockerfile as instructions: comments dropped, line continuations joined."""
    instructions: list[Instruction] = []
    pending = ""
    for raw in (ROOT / path).read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, value = full.partition(" ")
        instructions.append(Instruction(keyword.upper(), value.strip()))
    assert not pending, f"{path}: dangling line continuation"
    return tuple(instructions)


def instructions(path: str, keyword: str) -> list[str]:
    return [i.value for i in dockerfile(path) if i.keyword == keyword]


def exec_form(value: str) -> list[str]:
    """The JSON (exec) form of CMD/ENTRYPOINT/HEALTHCHECK CMD; the shell form is refused."""
    parsed = json.loads(value)
    assert isinstance(parsed, list), f"not the exec (JSON) form: {value}"
    assert all(isinstance(p, str) for p in parsed), value
    return parsed


def strip_flags(value: str) -> list[str]:
    """Arguments of COPY/ADD/HEALTHCHECK without their leading --flags."""
    words = shlex.split(value)
    while words and words[0].startswith("--"):
        words.pop(0)
    return words


def k8s_files() -> list[Path]:
    return sorted(p for p in K8S.iterdir() if p.suffix in {".yaml", ".yml"})


@cache
def k8s_documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    """(file name, object) for every Kubernetes object, the kustomization excluded."""
    docs = []
    for path in k8s_files():
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                docs.append((path.name, doc))
    return tuple(docs)


def k8s_objects(kind: str | None = None) -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_documents() if kind is None or doc["kind"] == kind]


def k8s_object(kind: str, name: str) -> dict[str, Any]:
    found = [o for o in k8s_objects(kind) if o["metadata"]["name"] == name]
    assert len(found) == 1, f"expected exactly one {kind}/{name}, found {len(found)}"
    return found[0]


def workloads() -> list[dict[str, Any]]:
    return k8s_objects("Deployment") + k8s_objects("StatefulSet")


def containers_of(workload: dict[str, Any], *, init: bool = False) -> list[dict[str, Any]]:
    spec = workload["spec"]["template"]["spec"]
    return list(spec.get("initContainers", []) if init else spec["containers"])


def main_container(workload: dict[str, Any]) -> dict[str, Any]:
    name = workload["metadata"]["name"]
    found = [c for c in containers_of(workload) if c["name"] == name]
    assert len(found) == 1, f"{name}: expected one container named {name}"
    return found[0]


@cache
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


def compose_service(name: str) -> dict[str, Any]:
    services = compose()["services"]
    assert name in services, f"docker-compose.yml has no service {name!r}"
    service: dict[str, Any] = services[name]
    return service


def compose_env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def compose_command(service: dict[str, Any]) -> list[str]:
    command = service.get("command")
    return shlex.split(command) if isinstance(command, str) else list(command or [])


def compose_container_ports(service: dict[str, Any]) -> set[int]:
    """Container-side ports of a compose service: from `ports` and `expose`."""
    ports: set[int] = set()
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    for entry in service.get("expose", []):
        ports.add(int(str(entry).split("/")[0]))
    return ports


def compose_services_with_image(image: str) -> dict[str, dict[str, Any]]:
    return {n: s for n, s in compose()["services"].items() if s.get("image") == image}


def k8s_env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Env entries by name; duplicates are an error."""
    env: dict[str, dict[str, Any]] = {}
    for entry in container.get("env", []):
        assert entry["name"] not in env, f"{container['name']}: {entry['name']} set twice"
        env[entry["name"]] = entry
    return env


def resolved_env(container: dict[str, Any]) -> dict[str, str]:
    """Env values with ConfigMap/Secret references and $(VAR) expansions resolved."""
    values: dict[str, str] = {}
    for entry in container.get("env", []):
        if "value" in entry:
            value = re.sub(r"\$\((\w+)\)", lambda m: values[m.group(1)], entry["value"])
        else:
            value = referenced_value(entry["valueFrom"])
        values[entry["name"]] = value
    return values


def referenced_value(value_from: dict[str, Any]) -> str:
    if "configMapKeyRef" in value_from:
        ref = value_from["configMapKeyRef"]
        return str(k8s_object("ConfigMap", ref["name"])["data"][ref["key"]])
    if "secretKeyRef" in value_from:
        ref = value_from["secretKeyRef"]
        return str(k8s_object("Secret", ref["name"])["stringData"][ref["key"]])
    if "fieldRef" in value_from:
        return f"<{value_from['fieldRef']['fieldPath']}>"
    raise AssertionError(f"unsupported valueFrom {value_from}")


def init_sql_databases() -> list[str]:
    text = INIT_SQL.read_text()
    match = re.search(r"ARRAY\[(.*?)\]", text, re.S)
    assert match, "init-databases.sql: no ARRAY[...] of database names"
    return re.findall(r"'([a-z_][a-z0-9_]*)'", match.group(1))


# --------------------------------------------------------------------------- parsing


def test_every_k8s_yaml_and_compose_parses() -> None:
    files = k8s_files()
    assert files, "deploy/k8s holds no YAML files"
    for path in [*files, COMPOSE_FILE]:
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        assert docs, f"{path.name} is empty"
        assert all(isinstance(d, dict) for d in docs), f"{path.name}: a document is no mapping"


def test_every_k8s_object_validates_against_the_kubernetes_schema() -> None:
    version = kubernetes_validate.latest_version()
    assert k8s_objects(), "no Kubernetes objects found"
    for filename, obj in k8s_documents():
        try:
            kubernetes_validate.validate(obj, desired_version=version, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(p) for p in error.path)
            pytest.fail(
                f"{filename}: {obj['kind']}/{obj['metadata'].get('name')} invalid for "
                f"Kubernetes {error.version} at {where}: {error.message}"
            )


def test_kustomization_lists_exactly_the_files_in_deploy_k8s() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Kustomization"
    assert kustomization.get("namespace") == NAMESPACE
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed)), "a resource is listed twice"
    for name in listed:
        assert (K8S / name).is_file(), f"kustomization.yaml lists missing file {name}"
    on_disk = {p.name for p in k8s_files()} - {"kustomization.yaml"}
    assert on_disk == set(listed), f"not listed: {on_disk - set(listed)}"
    assert listed[0] == "namespace.yaml", "the namespace must come first"


# --------------------------------------------------------------------------- Dockerfiles


@APP_PARAMS
def test_dockerfile_base_user_install_and_command(app: App) -> None:
    froms = instructions(app.dockerfile, "FROM")
    assert froms == ["python:3.11-slim"], froms
    keywords = [i.keyword for i in dockerfile(app.dockerfile)]

    users = instructions(app.dockerfile, "USER")
    assert users, f"{app.dockerfile}: no USER (the image would run as root)"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, f"{app.dockerfile}: runs as {user}"
    assert user.isdigit(), "USER must be numeric so that runAsNonRoot can verify it"
    assert keywords.index("USER") < keywords.index("CMD")

    runs = " ".join(instructions(app.dockerfile, "RUN"))
    installs = [r for r in instructions(app.dockerfile, "RUN") if "pip install" in r]
    assert installs, f"{app.dockerfile}: nothing is pip-installed"
    for install in installs:
        assert "--no-cache-dir" in install
        assert "[dev]" not in install, "the dev extra stays out of images"
        assert "-e " not in install, "no editable installs in images"
    copied = {Path(strip_flags(c)[-1]).as_posix().rstrip("/") for c in copies(app)}
    for source in app.required_copies:
        destination = copy_destination(app, source)
        assert destination in copied, f"{source} is not copied"
        assert re.search(rf"pip install[^&]*\s{re.escape(destination)}(\s|$)", runs), (
            f"{app.dockerfile}: {source} (copied to {destination}) is not pip-installed"
        )

    assert exec_form(instructions(app.dockerfile, "CMD")[-1]) == app.command
    assert not instructions(app.dockerfile, "ENTRYPOINT")


def copies(app: App) -> list[str]:
    return instructions(app.dockerfile, "COPY") + instructions(app.dockerfile, "ADD")


def copy_destination(app: App, source: str) -> str:
    for value in copies(app):
        words = strip_flags(value)
        if any(w.rstrip("/") == source for w in words[:-1]):
            return words[-1].rstrip("/")
    raise AssertionError(f"{app.dockerfile}: {source} is not copied")


@APP_PARAMS
def test_dockerfile_expose_and_healthcheck_use_the_port(app: App) -> None:
    assert instructions(app.dockerfile, "EXPOSE") == [str(app.port)]
    healthchecks = instructions(app.dockerfile, "HEALTHCHECK")
    assert len(healthchecks) == 1, f"{app.dockerfile}: expected one HEALTHCHECK"
    value = healthchecks[0]
    assert " CMD " in f" {value} ", value
    probe = exec_form(value.split("CMD", 1)[1].strip())
    assert probe[0] == "python", "python:3.11-slim has no curl: probe with python"
    assert f"127.0.0.1:{app.port}/health" in " ".join(probe) or (
        f"localhost:{app.port}/health" in " ".join(probe)
    )


@APP_PARAMS
def test_dockerfile_copy_sources_exist_and_are_not_dockerignored(app: App) -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for value in copies(app):
        assert "--from" not in value, "no multi-stage copies expected"
        for source in strip_flags(value)[:-1]:
            assert (ROOT / source).exists(), f"{app.dockerfile}: COPY source {source} missing"
            clean = source.rstrip("/")
            for pattern in ignored:
                assert not fnmatch.fnmatch(clean, pattern.rstrip("/")), (
                    f"{source} is excluded by .dockerignore pattern {pattern}"
                )


def test_dockerignore_excludes_local_state() -> None:
    patterns = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".venv", ".data", ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache"):
        assert required in patterns, f".dockerignore lacks {required}"
    for anywhere in ("__pycache__", "*.egg-info"):
        assert f"**/{anywhere}" in patterns, f".dockerignore lacks **/{anywhere}"


# --------------------------------------------------------------------------- compose


def test_compose_has_the_services_and_volumes() -> None:
    services = compose()["services"]
    expected = ["postgres", "nats", "gateway"]
    for app in DATABASE_APPS:
        expected += [f"{app.name}-migrate", app.name]
    for name in expected:
        assert name in services, f"docker-compose.yml lacks {name}"
    for service in services.values():
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"mounted file {source} is missing"
            else:
                assert source in compose().get("volumes", {}), f"undeclared volume {source}"


def test_compose_builds_each_image_from_the_repository_root() -> None:
    for app in APPS.values():
        users = compose_services_with_image(app.image)
        assert app.name in users, f"compose service {app.name} does not run {app.image}"
        for name, service in users.items():
            build = service.get("build")
            assert build, f"compose service {name} runs {app.image} but cannot build it"
            assert build["context"] == ".", f"{name}: the build context is the repo root"
            assert build["dockerfile"] == app.dockerfile, name
            assert (ROOT / build["dockerfile"]).is_file()
    for service in compose()["services"].values():
        if "build" in service:
            assert service["image"] in {a.image for a in APPS.values()}


def test_compose_infrastructure_images() -> None:
    assert compose_service("postgres")["image"] == POSTGRES_IMAGE
    nats = compose_service("nats")
    assert nats["image"] == NATS_IMAGE
    command = compose_command(nats)
    assert command[:3] == ["-js", "-sd", "/data"], command
    mounts = [str(v) for v in nats.get("volumes", [])]
    assert any(m.split(":")[1] == "/data" for m in mounts), "JetStream store is not a volume"


def test_compose_healthchecks_everywhere() -> None:
    for name, service in compose()["services"].items():
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"compose service {name} has no healthcheck"
        if healthcheck.get("disable"):
            assert service.get("restart") == "no", f"{name}: only one-shots may skip it"
            continue
        test = healthcheck["test"]
        assert isinstance(test, list), f"{name}: healthcheck test as a list"
        assert test[0] in {"CMD", "CMD-SHELL"}, name
    for app in APPS.values():
        test = " ".join(compose_service(app.name)["healthcheck"]["test"])
        assert f":{app.port}/" in test, f"{app.name}: healthcheck probes another port"


def test_compose_startup_order() -> None:
    def depends(name: str) -> dict[str, str]:
        deps = compose_service(name).get("depends_on", {})
        assert isinstance(deps, dict), f"{name}: depends_on needs conditions"
        return {k: v["condition"] for k, v in deps.items()}

    gateway = depends("gateway")
    for app in DATABASE_APPS:
        assert depends(f"{app.name}-migrate")["postgres"] == "service_healthy"
        service = depends(app.name)
        assert service[f"{app.name}-migrate"] == "service_completed_successfully", app.name
        assert service["postgres"] == "service_healthy", app.name
        assert service["nats"] == "service_healthy", app.name
        # The gateway starts once every service behind it is ready.
        assert gateway[app.name] == "service_healthy", f"gateway does not wait for {app.name}"
    for name, service in compose()["services"].items():
        for dependency in service.get("depends_on", {}):
            assert dependency in compose()["services"], f"{name} depends on {dependency}"


def test_compose_one_shot_commands() -> None:
    for app in DATABASE_APPS:
        migrate = compose_service(f"{app.name}-migrate")
        assert compose_command(migrate) == app.migrate_command
        assert migrate["image"] == app.image
        assert migrate.get("restart") == "no"
        assert urlsplit(compose_env(migrate)["DATABASE_URL"]).path == f"/{app.database}"
        assert compose_env(migrate)["DATABASE_URL"] == compose_env(compose_service(app.name))["DATABASE_URL"]
    seed = compose_service("identity-seed")
    assert compose_command(seed) == SEED_COMMAND
    assert seed.get("profiles"), "the demo seed must not start with a plain `up`"


@APP_PARAMS
def test_compose_ports(app: App) -> None:
    service = compose_service(app.name)
    assert compose_container_ports(service) == {app.port}
    assert "command" not in service, "the image's CMD (uvicorn on the port) is the command"
    if app.name == "gateway":
        assert service["ports"] == [f"{app.port}:{app.port}"]
    else:
        assert "ports" not in service, "only the gateway is published"


@APP_PARAMS
def test_compose_env(app: App) -> None:
    for name, service in compose_services_with_image(app.image).items():
        env = compose_env(service)
        missing = app.env - env.keys()
        assert not missing, f"compose {name} lacks {sorted(missing)}"
        assert env["PORT"] == str(app.port)
        for key, expected in EXPECTED_VALUES.items():
            if key in env:
                assert env[key] == expected, f"compose {name}: {key}={env[key]}"


def test_compose_urls_point_at_compose_services() -> None:
    postgres_env = compose_env(compose_service("postgres"))
    for name, service in compose()["services"].items():
        for key, value in compose_env(service).items():
            if not key.endswith("_URL") or value == NOT_DEPLOYED:
                continue
            url = urlsplit(value)
            host = url.hostname
            assert host, f"{name}: {key} has no host"
            assert host in compose()["services"], f"{name}: {key} host {host} unknown"
            if host in APPS:
                assert url.port == APPS[host].port, f"{name}: {key} port"
                assert url.port in compose_container_ports(compose_service(host))
            elif host == "nats":
                assert url.port == 4222
            elif host == "postgres":
                assert url.port == 5432
                assert url.username == postgres_env["POSTGRES_USER"]
                assert url.password == postgres_env["POSTGRES_PASSWORD"]
                assert url.path.lstrip("/") in init_sql_databases()
            else:
                pytest.fail(f"{name}: {key} points at {host}, which nothing checks")


def test_compose_postgres_runs_the_init_script() -> None:
    mounts = [str(v) for v in compose_service("postgres")["volumes"]]
    init = [m for m in mounts if "/docker-entrypoint-initdb.d" in m]
    assert len(init) == 1, "the init script is not mounted"
    source, target = init[0].split(":")[:2]
    assert (ROOT / source).resolve() == INIT_SQL.resolve()
    assert target.endswith(".sql")


# --------------------------------------------------------------------------- postgres init


def test_init_script_creates_every_context_database() -> None:
    databases = init_sql_databases()
    assert len(databases) == len(set(databases))
    for name in ("identity", "assets", "contracts", "iam", "consents", "heatmaps"):
        assert name in databases, f"init-databases.sql does not create {name}"
    assert "\\gexec" in INIT_SQL.read_text()


def test_k8s_postgres_init_configmap_is_a_copy_of_the_script() -> None:
    statefulset = k8s_object("StatefulSet", "postgres")
    volumes = {v["name"]: v for v in statefulset["spec"]["template"]["spec"]["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in main_container(statefulset)["volumeMounts"]}
    volume = volumes[mounts["/docker-entrypoint-initdb.d"]]
    configmap = k8s_object("ConfigMap", volume["configMap"]["name"])
    (script,) = configmap["data"].values()
    assert script.strip() == INIT_SQL.read_text().strip(), (
        "deploy/k8s/postgres.yaml's init script differs from deploy/postgres/init-databases.sql"
    )


# --------------------------------------------------------------------------- Kubernetes


def test_k8s_labels_and_namespace() -> None:
    for filename, obj in k8s_documents():
        labels = obj["metadata"].get("labels", {})
        what = f"{filename}: {obj['kind']}/{obj['metadata']['name']}"
        assert labels.get("app.kubernetes.io/part-of") == PART_OF, what
        assert labels.get("app.kubernetes.io/name"), what
        if obj["kind"] == "Namespace":
            assert obj["metadata"]["name"] == NAMESPACE
        else:
            assert obj["metadata"].get("namespace") == NAMESPACE, what
    for workload in workloads():
        template_labels = workload["spec"]["template"]["metadata"]["labels"]
        assert template_labels.get("app.kubernetes.io/part-of") == PART_OF
        assert template_labels.get("app.kubernetes.io/name") == workload["metadata"]["name"]
        selector = workload["spec"]["selector"]["matchLabels"]
        assert selector.items() <= template_labels.items(), workload["metadata"]["name"]


def test_every_service_selects_a_workload_and_its_target_ports() -> None:
    for service in k8s_objects("Service"):
        name = service["metadata"]["name"]
        selector = service["spec"]["selector"]
        matches = [
            w for w in workloads() if selector.items() <= w["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert len(matches) == 1, f"Service {name} selects {len(matches)} workloads"
        (workload,) = matches
        container_ports = {
            p.get("name"): p["containerPort"] for c in containers_of(workload) for p in c.get("ports", [])
        }
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            if isinstance(target, str):
                assert target in container_ports, f"Service {name}: no container port {target}"
            else:
                assert target in container_ports.values(), f"Service {name}: port {target}"


def target_port(service: dict[str, Any], workload: dict[str, Any]) -> int:
    (port,) = service["spec"]["ports"]
    target = port.get("targetPort", port["port"])
    if isinstance(target, int):
        return target
    (number,) = [p["containerPort"] for p in main_container(workload)["ports"] if p["name"] == target]
    return int(number)


@APP_PARAMS
def test_ports_agree_everywhere(app: App) -> None:
    deployment = k8s_object("Deployment", app.name)
    container = main_container(deployment)
    (container_port,) = [p["containerPort"] for p in container["ports"]]
    (expose,) = instructions(app.dockerfile, "EXPOSE")
    cmd = exec_form(instructions(app.dockerfile, "CMD")[-1])
    command_port = int(cmd[cmd.index("--port") + 1])
    service_port = target_port(k8s_object("Service", app.name), deployment)
    (compose_port,) = compose_container_ports(compose_service(app.name))
    ports = {
        "Deployment containerPort": container_port,
        "Dockerfile EXPOSE": int(expose),
        "uvicorn --port": command_port,
        "Service targetPort": service_port,
        "compose port": compose_port,
    }
    assert set(ports.values()) == {app.port}, ports
    # The container runs the image's CMD unless the manifest repeats it exactly.
    assert container.get("command", app.command) == app.command
    assert "args" not in container


@APP_PARAMS
def test_images_agree_between_compose_k8s_and_dockerfiles(app: App) -> None:
    deployment = k8s_object("Deployment", app.name)
    images = {c["image"] for c in containers_of(deployment) + containers_of(deployment, init=True)}
    assert images == {app.image}, images
    assert compose_service(app.name)["image"] == app.image
    assert compose_service(app.name)["build"]["dockerfile"] == app.dockerfile
    # The Dockerfile builds this service's source (and nobody else's).
    copied = {s.rstrip("/") for c in copies(app) for s in strip_flags(c)[:-1]}
    assert app.source_dir in copied
    assert not copied & ({a.source_dir for a in APPS.values()} - {app.source_dir})


def test_infrastructure_images_agree_between_compose_and_k8s() -> None:
    assert main_container(k8s_object("StatefulSet", "postgres"))["image"] == POSTGRES_IMAGE
    assert compose_service("postgres")["image"] == POSTGRES_IMAGE
    assert main_container(k8s_object("StatefulSet", "nats"))["image"] == NATS_IMAGE
    assert compose_service("nats")["image"] == NATS_IMAGE


@APP_PARAMS
def test_k8s_env(app: App) -> None:
    container = main_container(k8s_object("Deployment", app.name))
    env = resolved_env(container)
    missing = app.env - env.keys()
    assert not missing, f"{app.name} Deployment lacks {sorted(missing)}"
    assert env["PORT"] == str(app.port)
    for key, expected in EXPECTED_VALUES.items():
        if key in env:
            assert env[key] == expected, f"{app.name}: {key}={env[key]}"
    # The same settings as in compose, except where the cluster differs (credentials, mail).
    compose_values = compose_env(compose_service(app.name))
    for key in app.env - CLUSTER_SPECIFIC:
        assert env[key] == compose_values[key], f"{app.name}: {key} differs from compose"


def test_k8s_env_references_resolve() -> None:
    """Every ConfigMap/Secret key referenced exists; every $(VAR) is defined earlier."""
    for workload in workloads():
        for container in containers_of(workload) + containers_of(workload, init=True):
            defined: set[str] = set()
            for entry in container.get("env", []):
                for ref in re.findall(r"\$\((\w+)\)", entry.get("value", "")):
                    assert ref in defined, f"{container['name']}: $({ref}) used before set"
                if "valueFrom" in entry:
                    referenced_value(entry["valueFrom"])  # raises KeyError if missing
                defined.add(entry["name"])


def test_k8s_urls_point_at_k8s_services() -> None:
    services = {s["metadata"]["name"]: s for s in k8s_objects("Service")}
    secret = k8s_object("Secret", "postgres-credentials")["stringData"]
    for workload in workloads():
        for container in containers_of(workload) + containers_of(workload, init=True):
            for key, value in resolved_env(container).items():
                if not key.endswith("_URL") or value == NOT_DEPLOYED:
                    continue
                url = urlsplit(value)
                assert url.hostname in services, f"{container['name']}: {key} host unknown"
                ports = [p["port"] for p in services[url.hostname]["spec"]["ports"]]
                assert url.port in ports, f"{container['name']}: {key} port {url.port}"
                if url.hostname == "postgres":
                    assert url.username == secret["POSTGRES_USER"]
                    assert url.password == secret["POSTGRES_PASSWORD"]
                    assert url.path.lstrip("/") in init_sql_databases()


def test_k8s_secret_holds_placeholders_only() -> None:
    secrets = k8s_objects("Secret")
    assert secrets
    for secret in secrets:
        assert "data" not in secret, "use stringData with placeholder values"
        assert secret["stringData"]
    password = k8s_object("Secret", "postgres-credentials")["stringData"]["POSTGRES_PASSWORD"]
    assert "REPLACE" in password.upper(), "the password must be an obvious placeholder"
    assert re.fullmatch(r"[A-Za-z0-9._~-]+", password), "it is put verbatim in a URL"
    assert "replace" in (K8S / "secret.yaml").read_text().lower()


@APP_PARAMS
def test_k8s_deployment_probes_resources_and_security(app: App) -> None:
    deployment = k8s_object("Deployment", app.name)
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    container = main_container(deployment)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe, path in (("readinessProbe", "/ready"), ("livenessProbe", "/health")):
        get = container[probe]["httpGet"]
        assert get["path"] == path, f"{app.name}: {probe}"
        assert ports.get(get["port"], get["port"]) == app.port, f"{app.name}: {probe} port"


def test_every_container_has_resources_and_no_privilege_escalation() -> None:
    for workload in workloads():
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, workload["metadata"]["name"]
        for container in containers_of(workload) + containers_of(workload, init=True):
            where = f"{workload['metadata']['name']}/{container['name']}"
            resources = container.get("resources", {})
            for kind in ("requests", "limits"):
                assert set(resources.get(kind, {})) == {"cpu", "memory"}, f"{where}: {kind}"
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, where
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], where


@DATABASE_APP_PARAMS
def test_database_services_migrate_in_an_init_container(app: App) -> None:
    deployment = k8s_object("Deployment", app.name)
    (init,) = containers_of(deployment, init=True)
    assert init["image"] == app.image
    assert init["command"] == app.migrate_command
    assert resolved_env(init)["DATABASE_URL"] == resolved_env(main_container(deployment))["DATABASE_URL"]
    assert urlsplit(resolved_env(init)["DATABASE_URL"]).path == f"/{app.database}"


def test_gateway_has_no_database() -> None:
    gateway = k8s_object("Deployment", "gateway")
    for container in containers_of(gateway) + containers_of(gateway, init=True):
        assert "DATABASE_URL" not in k8s_env(container)
    assert not containers_of(gateway, init=True)
    assert "DATABASE_URL" not in compose_env(compose_service("gateway"))


def test_gateway_ingress_routes_to_the_gateway_service() -> None:
    service = k8s_object("Service", "gateway")
    port_names = {p["name"] for p in service["spec"]["ports"]}
    port_numbers = {p["port"] for p in service["spec"]["ports"]}
    for ingress in k8s_objects("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] == "gateway"
                port = backend["port"]
                assert port.get("name") in port_names or port.get("number") in port_numbers


def test_postgres_statefulset() -> None:
    statefulset = k8s_object("StatefulSet", "postgres")
    assert statefulset["spec"]["replicas"] == 1
    (claim,) = statefulset["spec"]["volumeClaimTemplates"]
    mounts = {m["name"]: m["mountPath"] for m in main_container(statefulset)["volumeMounts"]}
    assert mounts[claim["metadata"]["name"]] == "/var/lib/postgresql/data"
    env = resolved_env(main_container(statefulset))
    assert env["PGDATA"].startswith("/var/lib/postgresql/data/"), "initdb rejects lost+found"
    assert {"POSTGRES_USER", "POSTGRES_PASSWORD"} <= env.keys()
    assert statefulset["spec"]["serviceName"] in {s["metadata"]["name"] for s in k8s_objects("Service")}


def test_nats_statefulset_is_a_jetstream_cluster() -> None:
    statefulset = k8s_object("StatefulSet", "nats")
    replicas = statefulset["spec"]["replicas"]
    assert replicas == 3
    headless = k8s_object("Service", statefulset["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"].get("publishNotReadyAddresses") is True
    assert {p["port"] for p in headless["spec"]["ports"]} >= {4222, 6222}
    client = k8s_object("Service", "nats")
    assert client["spec"].get("clusterIP") != "None"
    assert 4222 in {p["port"] for p in client["spec"]["ports"]}

    container = main_container(statefulset)
    config_path = container["args"][container["args"].index("--config") + 1]
    volumes = {v["name"]: v for v in statefulset["spec"]["template"]["spec"]["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    directory, filename = config_path.rsplit("/", 1)
    configmap = k8s_object("ConfigMap", volumes[mounts[directory]]["configMap"]["name"])
    config = configmap["data"][filename]

    assert re.search(r"^\s*jetstream\s*\{", config, re.M), "JetStream is not enabled"
    store = re.search(r"store_dir:\s*(\S+)", config)
    assert store, "no JetStream store_dir"
    (claim,) = statefulset["spec"]["volumeClaimTemplates"]
    data_mount = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert data_mount[claim["metadata"]["name"]] == store.group(1)
    assert re.search(r"^\s*server_name:\s*\$SERVER_NAME", config, re.M)
    assert resolved_env(container)["SERVER_NAME"] == "<metadata.name>"

    cluster = re.search(r"cluster\s*\{(.*?)\n\s*\}\s*$", config, re.S)
    assert cluster, "no cluster block"
    port = re.search(r"port:\s*(\d+)", cluster.group(1))
    assert port, "no cluster port"
    cluster_port = int(port.group(1))
    assert cluster_port == 6222
    # Each route is the node's URL with the route user's password, composed in the pod's env.
    route_vars = re.findall(r"\$(NATS_ROUTE_\d+)", cluster.group(1))
    env = resolved_env(container)
    routes = sorted(urlsplit(env[var]) for var in route_vars)
    name, service = statefulset["metadata"]["name"], headless["metadata"]["name"]
    assert [(r.hostname, r.port) for r in routes] == [
        (f"{name}-{i}.{service}", cluster_port) for i in range(replicas)
    ]
    route_auth = re.search(r"authorization\s*\{(.*?)\}", cluster.group(1), re.S)
    assert route_auth, "anyone reaching port 6222 could join the cluster and see every message"
    assert re.search(r"password:\s*\$NATS_ROUTE_PASSWORD", route_auth.group(1))
    user = re.search(r"user:\s*(\w+)", route_auth.group(1))
    assert user
    for route in routes:
        assert (route.username, route.password) == (user.group(1), env["NATS_ROUTE_PASSWORD"])
    container_ports = {p["containerPort"] for p in container["ports"]}
    assert {4222, 6222, 8222} <= container_ports


# --------------------------------------------------------------------------- mail and secrets


def service_credentials_are_hashes(raw: str, where: str) -> None:
    """What identity accepts as SERVICE_CREDENTIALS: a JSON object of SHA-256 hex digests."""
    parsed = json.loads(raw)
    assert isinstance(parsed, dict), f"{where}: SERVICE_CREDENTIALS is not a JSON object"
    for name, digest in parsed.items():
        assert name, f"{where}: a service credential without a name"
        assert re.fullmatch(r"[0-9a-fA-F]{64}", digest), f"{where}: {name} is no SHA-256 hex"


def test_compose_identity_mails_the_mail_catcher() -> None:
    mailpit = compose_service("mailpit")
    assert mailpit["image"] == MAILPIT_IMAGE
    for name, service in compose_services_with_image(APPS["identity"].image).items():
        env = compose_env(service)
        assert env["SMTP_HOST"] == "mailpit", name
        assert int(env["SMTP_PORT"]) in compose_container_ports(mailpit), f"{name}: SMTP_PORT"
        assert env["SMTP_TLS"] == "none", f"{name}: Mailpit speaks plain SMTP here"
        # Mailpit checks the login identity sends, so the authenticated path runs in compose too.
        login = f"{env['SMTP_USERNAME']}:{env['SMTP_PASSWORD']}"
        assert login in compose_env(mailpit)["MP_SMTP_AUTH"].split(), name
        service_credentials_are_hashes(env["SERVICE_CREDENTIALS"], f"compose {name}")
    assert compose_service("identity")["depends_on"]["mailpit"]["condition"] == "service_healthy"
    # Its web UI is for this machine only.
    assert all(str(port).startswith("127.0.0.1:") for port in mailpit.get("ports", []))


def test_k8s_identity_mail_settings_and_secrets() -> None:
    container = main_container(k8s_object("Deployment", "identity"))
    env, values = k8s_env(container), resolved_env(container)
    for key in SMTP_SETTINGS:
        assert "configMapKeyRef" in env[key]["valueFrom"], f"{key} belongs in the ConfigMap"
    for key in SECRET_ENV:
        ref = env[key].get("valueFrom", {}).get("secretKeyRef")
        assert ref, f"{key} must come from a Secret"
        assert ref["name"] != "postgres-credentials", f"{key}: identity's secrets are its own"
    assert values["SMTP_TLS"] in SMTP_TLS_MODES
    assert 0 < int(values["SMTP_PORT"]) < 65536
    assert "@" in values["SMTP_FROM"]
    service_credentials_are_hashes(values["SERVICE_CREDENTIALS"], "identity-secrets")
    for key in SMTP_SECRETS:
        assert "REPLACE" in values[key].upper(), f"{key} must be an obvious placeholder"


def test_assets_service_secret_is_one_identity_knows() -> None:
    """assets' link writes at contracts need a service token: identity must hold the SHA-256
    of assets' SERVICE_SECRET and may grant it contracts.write, in compose and Kubernetes."""
    compose_identity = compose_env(compose_service("identity"))
    compose_secret = compose_env(compose_service("assets"))["SERVICE_SECRET"]
    expected = hashlib.sha256(compose_secret.encode()).hexdigest()
    assert json.loads(compose_identity["SERVICE_CREDENTIALS"])["assets"] == expected
    assert "contracts.write" in json.loads(compose_identity["SERVICE_SCOPES"])["assets"]
    assets = main_container(k8s_object("Deployment", "assets"))
    ref = k8s_env(assets)["SERVICE_SECRET"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] not in ("postgres-credentials", "identity-secrets", "nats-credentials")
    secret = resolved_env(assets)["SERVICE_SECRET"]
    assert "REPLACE" in secret.upper(), "SERVICE_SECRET must be an obvious placeholder"
    identity = resolved_env(main_container(k8s_object("Deployment", "identity")))
    assert (
        json.loads(identity["SERVICE_CREDENTIALS"])["assets"] == hashlib.sha256(secret.encode()).hexdigest()
    )
    assert "contracts.write" in json.loads(identity["SERVICE_SCOPES"])["assets"]


# --------------------------------------------------------------------------- the bus's users

# What nats-server reads from its environment as a config value parses as a plain string only
# like this (a leading digit makes a number, '#' starts a comment, ...).
BUS_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9-]{15,}")
BUS_USERS = users_of(APPS)  # the deployed services' users and the admin


def nats_config_map() -> dict[str, str]:
    data: dict[str, str] = k8s_object("ConfigMap", "nats-config")["data"]
    return data


def test_the_bus_users_are_generated_from_the_libs_table() -> None:
    """deploy/nats/auth.conf is what ``python -m proximity.events.nats_config`` prints for the
    deployed services, and the cluster's copy is the same text."""
    assert NATS_AUTH.read_text() == deployment_authorization(APPS), (
        "regenerate: python -m proximity.events.nats_config " + " ".join(APPS) + " > deploy/nats/auth.conf"
    )
    assert nats_config_map()["auth.conf"] == NATS_AUTH.read_text()
    assert re.search(r"^\s*include\s+auth\.conf\s*$", nats_config_map()["nats.conf"], re.M)


def test_compose_nats_reads_the_bus_users() -> None:
    nats = compose_service("nats")
    command = compose_command(nats)
    config = command[command.index("--config") + 1]
    mounts = dict(reversed(str(v).split(":")[:2]) for v in nats["volumes"])
    assert (ROOT / mounts[config]).resolve() == NATS_AUTH


@APP_PARAMS
def test_each_service_is_its_own_bus_user(app: App) -> None:
    """Its own name and password, never another's and never the admin's."""
    nats_compose = compose_env(compose_service("nats"))
    for name, service in compose_services_with_image(app.image).items():
        env = compose_env(service)
        assert env["NATS_USER"] == app.name, name
        assert env["NATS_PASSWORD"] == nats_compose[password_variable(app.name)], name
    container = main_container(k8s_object("Deployment", app.name))
    env = k8s_env(container)
    assert env["NATS_USER"]["value"] == app.name
    ref = env["NATS_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert (ref["name"], ref["key"]) == ("nats-credentials", app.name)


def test_nats_gets_every_users_password_from_its_secret() -> None:
    statefulset = k8s_object("StatefulSet", "nats")
    env = k8s_env(main_container(statefulset))
    for user in BUS_USERS:
        ref = env[password_variable(user)]["valueFrom"]["secretKeyRef"]
        assert (ref["name"], ref["key"]) == ("nats-credentials", user)
    secret = k8s_object("Secret", "nats-credentials")["stringData"]
    assert set(secret) == {*BUS_USERS, "route"}
    for key, value in secret.items():
        assert "REPLACE" in value.upper(), f"{key} must be an obvious placeholder"
        assert BUS_PASSWORD.fullmatch(value), f"{key}: nats-server would not read it as a string"
    nats_compose = compose_env(compose_service("nats"))
    for user in BUS_USERS:
        assert BUS_PASSWORD.fullmatch(nats_compose[password_variable(user)]), user
    # Only the nats pods hold the admin's and the route's passwords.
    for workload in workloads():
        if workload["metadata"]["name"] == "nats":
            continue
        for container in containers_of(workload) + containers_of(workload, init=True):
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef", {})
                if ref.get("name") == "nats-credentials":
                    assert ref["key"] == workload["metadata"]["name"], f"{container['name']}: {ref}"
    assert ADMIN not in {compose_env(s).get("NATS_USER") for s in compose()["services"].values()}


def test_the_k8s_nats_configuration_is_one_nats_server_accepts(tmp_path: Path) -> None:
    """nats.conf with its auth.conf, the env of a pod (placeholders), checked by nats-server
    itself (``-t``: parse and validate, no server started)."""
    for key, text in nats_config_map().items():
        (tmp_path / key).write_text(text)
    container = main_container(k8s_object("StatefulSet", "nats"))
    env = {**resolved_env(container), "SERVER_NAME": "nats-0"}
    checked = subprocess.run(
        [str(nats_server_binary()), "-c", str(tmp_path / "nats.conf"), "-t"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_k8s_streams_are_kept_on_three_nodes() -> None:
    """R3: each stream owner declares its stream with a replica on every node of the cluster."""
    replicas = k8s_object("StatefulSet", "nats")["spec"]["replicas"]
    assert (
        k8s_object("ConfigMap", "proximity-config")["data"]["EVENTS_STREAM_REPLICAS"] == str(replicas) == "3"
    )
    for app in APPS.values():
        env = resolved_env(main_container(k8s_object("Deployment", app.name)))
        if "EVENTS_STREAM_REPLICAS" in app.env:
            assert env["EVENTS_STREAM_REPLICAS"] == "3", app.name
        compose_values = compose_env(compose_service(app.name))
        assert compose_values.get("EVENTS_STREAM_REPLICAS", "1") == "1", "compose has one NATS node"
