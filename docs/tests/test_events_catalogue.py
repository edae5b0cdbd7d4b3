"""docs/events.md lists exactly the subjects the code publishes and consumes."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from assets.events import published as assets_published
from consents.domain.events import ConsentEvent
from identity.events import published as identity_published
from proximity.events.envelope import Event

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "docs" / "events.md"
SOURCES = [REPO / "libs" / "src", REPO / "gateway" / "src", *(REPO / "services").glob("*/src")]
CONTEXTS = "identity|assets|contracts|iam|consents|heatmaps"
LITERAL = re.compile(rf"""["']((?:{CONTEXTS})\.[a-z_]+\.[A-Za-z_]+)["']""")
TEMPLATE = re.compile(rf"""f["'](?:{CONTEXTS})\.[a-z_]+\.\{{""")
# The two places that build a subject from a verb; each is expanded below from the code itself.
TEMPLATED = {
    REPO / "services/identity/src/identity/events/published.py",
    REPO / "services/consents/src/consents/domain/events.py",
}


class _Anything:
    """Stands for any argument of an event builder: every attribute is None, and a date."""

    def isoformat(self) -> str:
        return "2026-01-01T00:00:00+00:00"

    def __getattr__(self, name: str) -> None:
        return None


def _sources() -> list[Path]:
    return [path for root in SOURCES for path in root.rglob("*.py")]


def _builder_subjects(module: ModuleType) -> set[str]:
    """What each public event builder of ``module`` publishes, called with stand-in arguments."""
    subjects = set()
    for _, builder in inspect.getmembers(module, inspect.isfunction):
        if builder.__module__ != module.__name__ or builder.__name__.startswith("_"):
            continue
        if inspect.signature(builder).return_annotation not in (Event, "Event"):
            continue
        parameters = inspect.signature(builder).parameters.values()
        positional = [_Anything() for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
        keywords: dict[str, Any] = {p.name: _Anything() for p in parameters if p.kind is p.KEYWORD_ONLY}
        subjects.add(builder(*positional, **keywords).type)
    return subjects


def _consents_subjects() -> set[str]:
    def leaves(kind: type[ConsentEvent]) -> list[type[ConsentEvent]]:
        return [leaf for sub in kind.__subclasses__() for leaf in [sub, *leaves(sub)]]

    return {ConsentEvent.subject.fget(SimpleNamespace(verb=kind.verb)) for kind in leaves(ConsentEvent)}  # type: ignore[attr-defined]


def _in_code() -> set[str]:
    literals = {subject for path in _sources() for subject in LITERAL.findall(path.read_text())}
    built = _builder_subjects(identity_published) | _builder_subjects(assets_published)
    return literals | built | _consents_subjects()


def _catalogued() -> set[str]:
    return set(re.findall(r"^\| `([a-z]+\.[a-z_]+\.[A-Za-z_]+)` \|", CATALOGUE.read_text(), re.MULTILINE))


def test_every_subject_in_the_code_is_catalogued() -> None:
    missing = _in_code() - _catalogued()
    assert not missing, f"add to docs/events.md: {sorted(missing)}"


def test_every_catalogued_subject_is_in_the_code() -> None:
    stale = _catalogued() - _in_code()
    assert not stale, f"no code publishes or consumes these any more: {sorted(stale)}"


def test_subjects_built_from_a_verb_are_only_where_this_test_expands_them() -> None:
    templated = {path for path in _sources() if TEMPLATE.search(path.read_text())}
    assert templated == TEMPLATED, "a new subject template: expand it in this test"


def test_each_subject_is_published_by_the_context_it_names() -> None:
    for row in re.findall(r"^\| `([a-z]+)\.[^`]+` \| ([a-z]+) ", CATALOGUE.read_text(), re.MULTILINE):
        assert row[0] == row[1], row
