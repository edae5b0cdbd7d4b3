"""The one place that wires the assets service's concrete parts together for the use cases."""

from __future__ import annotations

from dataclasses import dataclass, field

from minio import Minio
from sqlalchemy.ext.asyncio import AsyncSession

from assets.config import AssetsSettings
from assets.contracts_owner import ContractsOwner
from assets.repositories.document_store import DocumentStore, FileSystemStore
from assets.repositories.s3_document_store import S3Store
from proximity.db.unit_of_work import UnitOfWork
from proximity.runtime import Runtime


@dataclass(frozen=True)
class Collaborators:
    settings: AssetsSettings
    runtime: Runtime
    documents: DocumentStore
    # Where contract link writes go (unconfigured: they answer 503).
    contracts: ContractsOwner = field(default_factory=lambda: ContractsOwner(None, None, None))

    def unit_of_work(self) -> UnitOfWork:
        return self.runtime.unit_of_work()

    def reading(self) -> AsyncSession:
        return self.runtime.reading()

    def snapshot(self) -> AsyncSession:
        return self.runtime.snapshot()


def document_store(settings: AssetsSettings) -> DocumentStore:
    """The S3-compatible bucket when one is configured, else files under the data directory."""
    if settings.documents_s3_bucket:
        if not settings.documents_s3_endpoint:
            raise ValueError("DOCUMENTS_S3_ENDPOINT is required with DOCUMENTS_S3_BUCKET")
        client = Minio(
            settings.documents_s3_endpoint,
            access_key=settings.documents_s3_access_key.get_secret_value()
            if settings.documents_s3_access_key
            else None,
            secret_key=settings.documents_s3_secret_key.get_secret_value()
            if settings.documents_s3_secret_key
            else None,
            region=settings.documents_s3_region,
            secure=settings.documents_s3_secure,
        )
        return S3Store(client, settings.documents_s3_bucket)
    return FileSystemStore(settings.documents_dir)
