"""Tenant-scoped queries on parties: the filtered, sorted list and the aggregates it shows.

The list follows ``proximity.db.listing``: each sort is an index of migration 0009, the page is
cut before the aggregates are computed, and keywords go through a GIN-indexed tsvector."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    Uuid,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from identity.repositories.catalogue_tables import PartySkillSet, SkillSet
from identity.repositories.people_tables import PartyGroupMembership
from identity.repositories.tables import Party, User
from proximity.db.listing import (
    Ordering,
    Window,
    bound_page,
    capped_count,
    capped_total,
    keyset_page,
    nullable_key,
    ordering,
    page_params,
    window,
)
from proximity.http.list_query import KeysetPage, ListQuery, SortKey

# Parties are linked to contracts and assets in those contexts; identity holds no replica of
# those links yet, so their totals are 0 until it does.
_NOT_REPLICATED: ColumnElement[int] = literal(0)


@dataclass(frozen=True, slots=True)
class PartyFilter:
    ids: tuple[uuid.UUID, ...] = ()
    group_id: uuid.UUID | None = None
    type_id: uuid.UUID | None = None
    skillset_id: uuid.UUID | None = None
    keywords: str | None = None


@dataclass(frozen=True, slots=True)
class PartyCounts:
    groups: int
    contracts: int
    assets: int
    skillsets: int


class PartyRecord(Protocol):
    """What a party view reads of a party: a loaded ``Party``, or a row of the list's columns
    (``LIST_COLUMNS``; lists never show addresses or profile, so they are not read)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def type_id(self) -> uuid.UUID | None: ...
    @property
    def base_type(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def last_name(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def avatar_media_id(self) -> uuid.UUID | None: ...
    @property
    def avatar_url(self) -> str | None: ...
    @property
    def job_title_id(self) -> uuid.UUID | None: ...
    @property
    def addresses(self) -> list[dict[str, Any]]: ...
    @property
    def profile(self) -> list[dict[str, Any]]: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def suspended_at(self) -> datetime | None: ...
    @property
    def deleted_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class ListedParty:
    party: PartyRecord
    system_admin: bool
    counts: PartyCounts | None = None


def list_fields(party: PartyRecord) -> dict[str, Any]:
    """``LIST_FIELDS`` of a party: by position from a list's row (a hundred rows' attribute
    look-ups by name cost ~1 ms), by name from a ``Party``."""
    if isinstance(party, Row):
        return dict(zip(LIST_FIELDS, party, strict=False))
    return {name: getattr(party, name) for name in LIST_FIELDS}


def _groups() -> ColumnElement[int]:
    return (
        select(func.count())
        .select_from(PartyGroupMembership)
        .where(col(PartyGroupMembership.party_id) == col(Party.id))
        .scalar_subquery()
    )


def _live_pairs() -> ColumnElement[bool]:
    """A (party, skillset) pair as GET /parties/~/skillsets shows it: neither side deleted."""
    return and_(
        col(SkillSet.id) == col(PartySkillSet.skillset_id),
        col(PartySkillSet.deleted_at).is_(None),
        col(SkillSet.deleted_at).is_(None),
    )


def _skillsets() -> ColumnElement[int]:
    return (
        select(func.count())
        .select_from(PartySkillSet)
        .join(SkillSet, _live_pairs())
        .where(col(PartySkillSet.party_id) == col(Party.id))
        .scalar_subquery()
    )


def _system_admin() -> ColumnElement[bool]:
    return exists().where(
        col(User.party_id) == col(Party.id), col(User.is_system_admin), col(User.deleted_at).is_(None)
    )


_TEXT_ZERO: ColumnElement[str] = literal_column("''")
_columns = Party.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model

# What a list shows of a party, read as plain columns: no ORM instance per row, and neither
# the JSON addresses and profile nor the tsvector are fetched and decoded. A row of them has
# these fields first, in this order (``list_fields()`` reads them by position).
LIST_FIELDS = (
    "id",
    "type_id",
    "base_type",
    "first_name",
    "last_name",
    "email",
    "phone",
    "avatar_media_id",
    "avatar_url",
    "job_title_id",
    "created_at",
    "updated_at",
    "suspended_at",
    "deleted_at",
)
LIST_COLUMNS: tuple[ColumnElement[Any], ...] = tuple(_columns[name] for name in LIST_FIELDS)
_FULL_COLUMNS: tuple[ColumnElement[Any], ...] = (*LIST_COLUMNS, _columns.addresses, _columns.profile)

# Every sort seed 004 documents for GET /parties, by field name: the key expressions of its
# partial index (tables.PARTY_SORT_INDEXES, the same expressions, or PostgreSQL will not match
# them). The contract and asset totals are 0 for every party, so they order by id.
SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_columns.first_name), *nullable_key(func.lower(_columns.last_name), _TEXT_ZERO)),
    "first_name": (func.lower(_columns.first_name),),
    "last_name": nullable_key(func.lower(_columns.last_name), _TEXT_ZERO),
    "type": nullable_key(_columns.sort_type, _TEXT_ZERO),
    "phone": nullable_key(_columns.phone, _TEXT_ZERO),
    "email": nullable_key(_columns.email, _TEXT_ZERO),
    "last_signin": nullable_key(_columns.last_signin_at, _columns.created_at),
    "job_title_id": nullable_key(_columns.sort_job_title, _TEXT_ZERO),
    "total_identities": (_columns.total_identities,),
    "total_groups": (_columns.total_groups,),
    "total_contracts": (),
    "total_skillsets": (_columns.total_skillsets,),
    "total_assets": (),
    "created": (_columns.created_at,),
    "updated": (func.coalesce(_columns.updated_at, _columns.created_at),),
}

_SEARCH_WORDS: ColumnElement[Any] = _columns.search_words
# What the parser of the 'simple' configuration splits words at.
_WORD_BREAKS = re.compile(r"[\W_]+")


def words_query(keywords: str) -> str | None:
    """A tsquery for ``keywords``: every keyword must match, each as the prefixes of its words
    in a row (``mia@a`` is ``mia:* <-> a:*``, which finds mia@a.com). None when no word is
    left (only punctuation), which matches nothing."""
    terms = []
    for keyword in keywords.lower().split():
        parts = [part for part in _WORD_BREAKS.split(keyword) if part]
        if parts:
            # Also the keyword whole, quoted: PostgreSQL's parser then splits it as it split the
            # stored text, where the split above cannot know its rules (``lovelace-9e08c0`` is a
            # hyphenated word there, ``9e08`` a number; ``-87091`` a signed integer).
            whole = keyword.replace("\\", "\\\\").replace("'", "''")
            split = " <-> ".join(f"'{part}':*" for part in parts)
            terms.append(split if parts == [keyword] else f"'{whole}':* | ({split})")
    return " & ".join(f"({term})" for term in terms) if terms else None


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a list statement's SQL depends on: which filters are given (their values are bind
    parameters), the sort, the columns shown and whether a cursor leads to the page."""

    sort: tuple[SortKey, ...]
    ids: bool
    group: bool
    type: bool
    skillset: bool
    keywords: bool
    words: bool  # keywords with a word left (else they match nothing)
    counts: bool
    full: bool
    after: bool


def _shape(filters: PartyFilter, sort: Sequence[SortKey], *, counts: bool, full: bool, after: bool) -> _Shape:
    keywords = filters.keywords is not None
    return _Shape(
        tuple(sort),
        bool(filters.ids),
        filters.group_id is not None,
        filters.type_id is not None,
        filters.skillset_id is not None,
        keywords,
        keywords and words_query(filters.keywords or "") is not None,
        counts,
        full,
        after,
    )


def _params(tenant_id: uuid.UUID, filters: PartyFilter) -> dict[str, Any]:
    """The filters' bind parameters, for the statements of ``_statements()``."""
    params: dict[str, Any] = {
        "tenant_id": tenant_id,
        "ids": list(filters.ids),
        "group_id": filters.group_id,
        "type_id": filters.type_id,
        "skillset_id": filters.skillset_id,
    }
    if filters.keywords is not None:
        params["words"] = words_query(filters.keywords)
    return params


def _conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    tenant_id = bindparam("tenant_id", type_=Uuid)
    conditions: list[ColumnElement[bool]] = [col(Party.tenant_id) == tenant_id]
    if shape.ids:
        # Deleted parties are shown only when asked for by id (seed 004).
        conditions.append(col(Party.id).in_(bindparam("ids", type_=Uuid, expanding=True)))
    else:
        conditions.append(col(Party.deleted_at).is_(None))
    if shape.group:
        members = select(col(PartyGroupMembership.party_id)).where(
            col(PartyGroupMembership.tenant_id) == tenant_id,
            col(PartyGroupMembership.group_id) == bindparam("group_id", type_=Uuid),
        )
        conditions.append(col(Party.id).in_(members))
    if shape.type:
        conditions.append(col(Party.type_id) == bindparam("type_id", type_=Uuid))
    if shape.skillset:
        # The live pairs of one skillset: that skillset's liveness is one check, not a join,
        # so each party appears at most once (the pair's key) and PostgreSQL joins the holders
        # to parties directly, stopping at the count's cap, instead of first collecting and
        # de-duplicating every holder.
        skillset_id = bindparam("skillset_id", type_=Uuid)
        live_skillset = exists().where(col(SkillSet.id) == skillset_id, col(SkillSet.deleted_at).is_(None))
        holders = select(col(PartySkillSet.party_id)).where(
            col(PartySkillSet.tenant_id) == tenant_id,
            col(PartySkillSet.skillset_id) == skillset_id,
            col(PartySkillSet.deleted_at).is_(None),
            live_skillset,
        )
        conditions.append(col(Party.id).in_(holders))
    if shape.keywords:
        if shape.words:
            words = func.to_tsquery(_SIMPLE, bindparam("words", type_=Text))
            conditions.append(_SEARCH_WORDS.bool_op("@@")(words))
        else:
            conditions.append(false())
    return conditions


_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")


@dataclass(frozen=True, slots=True)
class _Statements:
    order: Ordering
    page: Select[Any]  # the window's parties and their sort keys (``page_params``)
    filtered: Select[Any]  # the ids of the list's rows
    count: Select[Any]  # the capped total


@functools.lru_cache(maxsize=1024)
def _statements(shape: _Shape) -> _Statements:
    """Built once per shape: SQLAlchemy then neither rebuilds a statement nor walks it for its
    cache key on each request (~1 ms of a list request's Python)."""
    order = ordering(shape.sort, SORTS, _columns.id)
    filtered = select(col(Party.id)).where(and_(*_conditions(shape)))
    page = bound_page(filtered, order, after=shape.after).subquery("page")
    keys = list(page.c)[1:]
    shown = _FULL_COLUMNS if shape.full else LIST_COLUMNS
    columns: list[Any] = [*shown, _system_admin()]
    if shape.counts:
        columns += [_groups(), _NOT_REPLICATED, _NOT_REPLICATED, _skillsets()]
    statement = select(*columns, *keys).join(page, page.c[0] == col(Party.id)).order_by(*order.order_of(keys))
    return _Statements(order, statement, filtered, capped_count(filtered))


async def _shown(
    session: AsyncSession, statements: _Statements, shape: _Shape, at: Window, params: dict[str, Any]
) -> tuple[list[ListedParty], list[Sequence[Any]]]:
    """The window's parties, and their sort keys (one row more than the window, for the next
    cursor). The page is cut first; admin flags and counts are computed for its rows only.
    Each party is a row of the list's columns, with addresses and profile when ``full``."""
    bound = params | page_params(statements.order, at)
    # On the session's connection: Core rows, without the ORM's result processing (nothing
    # here is an entity, and the session holds no pending changes: a unit of work that reads
    # back its own rows has flushed them).
    connection = await session.connection()
    rows = (await connection.execute(statements.page, bound)).all()
    flag = len(_FULL_COLUMNS if shape.full else LIST_COLUMNS)
    extra = flag + (5 if shape.counts else 1)
    listed = [
        ListedParty(
            cast(PartyRecord, row),
            bool(row[flag]),
            PartyCounts(*row[flag + 1 : flag + 5]) if shape.counts else None,
        )
        for row in rows[: at.limit]
    ]
    return listed, [tuple(row[extra:]) for row in rows]


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: PartyFilter, query: ListQuery
) -> tuple[list[ListedParty], KeysetPage]:
    """One page of GET /parties and what the answer says of the rest (total, next cursor)."""
    counts = "stats" in query.include
    shape = _shape(filters, query.sort, counts=counts, full=False, after=query.cursor is not None)
    statements = _statements(shape)
    at = window(query, statements.order)
    params = _params(tenant_id, filters)
    listed, keys = await _shown(session, statements, shape, at, params)
    counted = statements.count
    total = await capped_total(session, statements.filtered, at, len(keys), counted=counted, params=params)
    return listed, keyset_page(statements.order, at, keys, total)


async def list_parties(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    filters: PartyFilter,
    *,
    sort: Sequence[SortKey],
    offset: int,
    limit: int,
    with_counts: bool,
    full: bool = False,
) -> list[ListedParty]:
    """Parties in ``sort`` order from ``offset`` (the batch PATCH reads its rows back by id)."""
    shape = _shape(filters, sort, counts=with_counts, full=full, after=False)
    at = Window(0, offset, limit)
    listed, _ = await _shown(session, _statements(shape), shape, at, _params(tenant_id, filters))
    return listed


async def party_with_counts(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID, *, with_counts: bool
) -> ListedParty | None:
    """One party (deleted ones too: naming an id asks for it explicitly, seed 004)."""
    found = await list_parties(
        session,
        tenant_id,
        PartyFilter(ids=(party_id,)),
        sort=(),
        offset=0,
        limit=1,
        with_counts=with_counts,
        full=True,
    )
    return found[0] if found else None


async def party_for_update(session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID) -> Party | None:
    query = (
        select(Party)
        .where(col(Party.tenant_id) == tenant_id, col(Party.id) == party_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found: Party | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def parties_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Party]:
    query = (
        select(Party)
        .where(col(Party.tenant_id) == tenant_id, col(Party.id).in_(party_ids))
        .order_by(col(Party.id))  # one lock order, so two batches cannot deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {party.id: party for party in (await session.execute(query)).scalars()}


async def is_system_admin_party(session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID) -> bool:
    query = select(
        exists().where(
            col(User.tenant_id) == tenant_id,
            col(User.party_id) == party_id,
            col(User.is_system_admin),
            col(User.deleted_at).is_(None),
        )
    )
    return bool((await session.execute(query)).scalar_one())
