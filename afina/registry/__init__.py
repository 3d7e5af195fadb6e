"""The registry: datasets, runs and models with their lineage and metrics, in any SQL database.

SQLite under AFINA_HOME by default; any SQLAlchemy URL (PostgreSQL for a team) through
`registry.url`. A stage records its artifact only after it succeeded.
"""

from afina.registry.store import Registry, open_registry

__all__ = ["Registry", "open_registry"]
