"""Run a service's Alembic migrations: ``python -m proximity.db.migrate <package>``.

Each service keeps its migrations inside its package (``<package>/migrations``), so an
installed service (a container image) can migrate without the source tree.
"""

from __future__ import annotations

import argparse
import os

from alembic import command
from alembic.config import Config

from proximity.db.engine import normalise_url


def alembic_config(package: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    # Alembic's config is an .ini parser: '%' must be escaped in URLs with encoded passwords.
    url = normalise_url(database_url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(package: str, database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(package, database_url), revision)


def main() -> None:
    parser = argparse.ArgumentParser(description="Apply a service's database migrations.")
    parser.add_argument("package", help="the service's import package, e.g. identity")
    parser.add_argument("--revision", default="heads")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    if not args.database_url:
        parser.error("DATABASE_URL is not set")
    upgrade(args.package, args.database_url, args.revision)


if __name__ == "__main__":
    main()
