"""SQLAlchemy tables and the few operations the stages and `afina runs` need.

Safe for several processes at once: the schema is created (and versioned) by whichever process comes
first, a run is upserted, and each stage's record (its run, its status, its model) is one transaction.
A run's statuses are kept as a history; its status is the latest.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, create_engine, event, inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from afina.errors import ConfigError
from afina.runfolder import afina_home

SCHEMA_VERSION = 1  # 0: the tables before the version and the status history; migrated by adding both


class Base(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class DatasetRow(Base):
    __tablename__ = "datasets"
    id: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(1024))
    kind: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(1024))
    report: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class RunRow(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256), index=True)
    run_dir: Mapped[str] = mapped_column(String(1024), unique=True)
    status: Mapped[str] = mapped_column(String(32))
    method: Mapped[str | None] = mapped_column(String(64), nullable=True)
    base_model: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    data_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    config: Mapped[dict] = mapped_column(JSON)
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class ModelRow(Base):
    __tablename__ = "models"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))  # base | adapter | model
    path: Mapped[str] = mapped_column(String(1024))
    parent: Mapped[str | None] = mapped_column(String(1024), nullable=True)  # lineage: what it was trained from
    stage: Mapped[str] = mapped_column(String(32), default="none")  # none | staging | production
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class SchemaRow(Base):
    __tablename__ = "afina_schema"
    id: Mapped[int] = mapped_column(primary_key=True)  # one row, id 1
    version: Mapped[int] = mapped_column(Integer)


class StatusRow(Base):
    """One status a run reached (trained, evaluated, gate_passed, gate_failed, exported), in order."""

    __tablename__ = "run_statuses"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class FeedbackRow(Base):
    """What a user said about an answer the server gave: a rating (+1 or -1), a correction, or that it was
    better than another answer (`rejected_*`); with the prompt and the answers as they were."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # rating | correction | preference
    completion_id: Mapped[str] = mapped_column(String(64), index=True)
    model: Mapped[str] = mapped_column(String(256))
    prompt: Mapped[list] = mapped_column(JSON)  # the chat messages (or [{"role": "user", "content": prompt}])
    answer: Mapped[str] = mapped_column(String)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    correction: Mapped[str | None] = mapped_column(String, nullable=True)
    rejected_completion_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    rejected_model: Mapped[str | None] = mapped_column(String(256), nullable=True)
    rejected_answer: Mapped[str | None] = mapped_column(String, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class PromotionRow(Base):
    """One move of a name's stage pointer (`afina promote`, `afina rollback`): from then on, `name` at `stage`
    is this model. The history is kept; the newest row per name and stage is the pointer."""

    __tablename__ = "promotions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256), index=True)
    stage: Mapped[str] = mapped_column(String(32))  # staging | production
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"))
    reason: Mapped[str] = mapped_column(String(64))  # promote | rollback
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class ApiKeyRow(Base):
    """A named key of `afina serve`, stored as its SHA-256 only; revoked keys stay, marked."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    hash: Mapped[str] = mapped_column(String(64))
    revoked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


def _retry(operation, attempts: int = 8):
    """Run `operation` again when another process won a race it lost: a table or a row created between
    its check and its write, or SQLite's lock held past the connection's timeout."""
    for attempt in range(attempts):
        try:
            return operation()
        except (IntegrityError, OperationalError, ProgrammingError) as exc:
            lost_race = isinstance(exc, IntegrityError) or any(
                text in str(exc) for text in ("already exists", "database is locked")
            )
            if not lost_race or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


class Registry:
    """Datasets, runs (with their status history) and models, in any SQL database."""

    def __init__(self, url: str):
        self.url = url
        sqlite = url.startswith("sqlite")
        # SQLite: wait for another process's write instead of failing at once; transactions take the write
        # lock when they begin (BEGIN IMMEDIATE), so two upserts of one run never interleave.
        self.engine = create_engine(url, connect_args={"timeout": 60} if sqlite else {})
        self.reader = create_engine(url, connect_args={"timeout": 60} if sqlite else {})  # reads lock nothing
        if sqlite:
            event.listen(self.engine, "connect", lambda dbapi, _: setattr(dbapi, "isolation_level", None))
            event.listen(self.engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        if not set(Base.metadata.tables) <= set(inspect(self.reader).get_table_names()):  # a read-only file: no lock
            _retry(lambda: Base.metadata.create_all(self.engine))
        _retry(self._check_version)

    def _check_version(self) -> None:
        with Session(self.reader) as s:
            row = s.get(SchemaRow, 1)
            version = None if row is None else row.version
        if version is None:
            with Session(self.engine) as s, s.begin():
                if s.get(SchemaRow, 1) is None:
                    s.add(SchemaRow(id=1, version=SCHEMA_VERSION))
        elif version > SCHEMA_VERSION:
            raise ConfigError(
                f"the registry at {self.url} was written by a newer afina (schema {version}; this one "
                f"reads {SCHEMA_VERSION}): upgrade afina, or point registry.url elsewhere",
                key="registry.url",
            )

    def _insert(self, make) -> int:
        """Add the row `make()` builds, in a transaction of its own (retried on a lost race); returns its id."""

        def write() -> int:
            with Session(self.engine) as s, s.begin():
                row = make()
                s.add(row)
                s.flush()
                return row.id

        return _retry(write)

    def add_dataset(self, path: Path, report: dict) -> int:
        """Record a prepared dataset (its folder and data report); returns its id."""
        resolved = str(Path(path).resolve())
        return self._insert(
            lambda: DatasetRow(
                hash=report["hash"], source=report["source"], kind=report["kind"], path=resolved, report=report
            )
        )

    def record_run(
        self,
        run_dir: Path,
        name: str,
        status: str,
        config: dict,
        model: dict | None = None,
        keep_status: bool = False,
        **fields,
    ) -> int:
        """Insert or update the run whose folder is run_dir, add `status` to its history (and make it the
        run's status, unless `keep_status`: an export leaves the verdict on the model as it was) and, with
        `model` (add_model's arguments), its model: one transaction. `metrics` are merged into the run's; a
        metrics key set to None is removed (what a retrained model no longer has). Returns the run's id."""
        key = str(Path(run_dir).resolve())
        metrics = fields.pop("metrics", None)  # once: a retried write must write them too

        def write() -> int:
            with Session(self.engine) as s, s.begin():
                row = s.scalar(select(RunRow).where(RunRow.run_dir == key))
                if row is None:
                    row = RunRow(run_dir=key, name=name, status=status, config=config, metrics={})
                    s.add(row)
                if not keep_status:
                    row.status = status
                row.config = config
                if metrics:
                    merged = {**(row.metrics or {}), **metrics}
                    row.metrics = {k: v for k, v in merged.items() if v is not None}
                for field, value in fields.items():
                    setattr(row, field, value)
                s.flush()
                s.add(StatusRow(run_id=row.id, status=status))
                if model is not None:
                    s.add(ModelRow(run_id=row.id, stage="none", **{**model, "path": str(model["path"])}))
                return row.id

        return _retry(write)

    def statuses(self, run_id: int) -> list[str]:
        """The statuses a run reached, oldest first."""
        with Session(self.reader) as s:
            query = select(StatusRow.status).where(StatusRow.run_id == run_id).order_by(StatusRow.id)
            return list(s.scalars(query))

    def add_model(self, run_id: int | None, kind: str, path: Path | str, parent: str | None) -> int:
        """Record a model (base, adapter, model or merged) with the run and the model it came from; returns its id."""
        return self._insert(lambda: ModelRow(run_id=run_id, kind=kind, path=str(path), parent=parent, stage="none"))

    def runs(self) -> list[RunRow]:
        """Every registered run, oldest first."""
        with Session(self.reader) as s:
            return list(s.scalars(select(RunRow).order_by(RunRow.created_at, RunRow.id)))

    def models(self, run_id: int | None = None) -> list[ModelRow]:
        """Every registered model, or a run's."""
        with Session(self.reader) as s:
            query = select(ModelRow).order_by(ModelRow.id)
            if run_id is not None:
                query = query.where(ModelRow.run_id == run_id)
            return list(s.scalars(query))

    def add_feedback(self, **fields) -> int:
        """Record one piece of feedback (FeedbackRow's fields); returns its id."""
        return self._insert(lambda: FeedbackRow(**fields))

    def promote(self, name: str, model_id: int, stage: str = "production", reason: str = "promote") -> int:
        """Point `name` at `stage` to a registered model (and mark the model's stage); returns the move's id."""

        def write() -> int:
            with Session(self.engine) as s, s.begin():
                model = s.get(ModelRow, model_id)
                if model is None:
                    raise ConfigError(f"no registered model {model_id}", key="MODEL")
                model.stage = stage
                row = PromotionRow(name=name, stage=stage, model_id=model_id, reason=reason)
                s.add(row)
                s.flush()
                return row.id

        return _retry(write)

    def pointer(self, name: str, stage: str = "production") -> ModelRow | None:
        """The model `name` at `stage` points to now, or None."""
        history = self.promotions(name, stage)
        if not history:
            return None
        with Session(self.reader) as s:
            return s.get(ModelRow, history[-1].model_id)

    def promotions(self, name: str, stage: str = "production") -> list[PromotionRow]:
        """Every move of `name` at `stage`, oldest first."""
        with Session(self.reader) as s:
            query = select(PromotionRow).where(PromotionRow.name == name, PromotionRow.stage == stage)
            return list(s.scalars(query.order_by(PromotionRow.id)))

    def rollback(self, name: str, stage: str = "production") -> ModelRow:
        """Point `name` back to the model it pointed to before the current one (a move of its own, kept in the
        history); refused when there is none."""
        history = self.promotions(name, stage)
        if not history:
            raise ConfigError(f"nothing is promoted as '{name}' ({stage})", key="NAME")
        stack: list[int] = []  # replayed: a promotion pushes its model, a rollback pops back to the one before
        for move in history:
            if move.reason == "rollback":
                stack.pop()
            elif not stack or stack[-1] != move.model_id:  # the same model promoted again is no new step
                stack.append(move.model_id)
        if len(stack) < 2:
            raise ConfigError(f"'{name}' ({stage}) has no earlier model to roll back to", key="NAME")
        self.promote(name, stack[-2], stage, reason="rollback")
        return self.pointer(name, stage)

    def add_api_key(self, name: str, key_hash: str) -> int:
        """Record a named server key by its hash; a name already taken is refused."""
        existing = [k for k in self.api_keys() if k.name == name]
        if any(not k.revoked for k in existing):
            raise ConfigError(f"an API key named '{name}' exists already (revoke it first)", key="NAME")

        def write() -> int:
            with Session(self.engine) as s, s.begin():
                for old in s.scalars(select(ApiKeyRow).where(ApiKeyRow.name == name)):
                    old.name = f"{name} (revoked {old.id})"  # the name passes to the new key; the old stays, marked
                s.flush()
                row = ApiKeyRow(name=name, hash=key_hash, revoked=False)
                s.add(row)
                s.flush()
                return row.id

        return _retry(write)

    def revoke_api_key(self, name: str) -> None:
        """Mark a named key revoked: servers stop accepting it within seconds."""

        def write() -> None:
            with Session(self.engine) as s, s.begin():
                row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.name == name))
                if row is None:
                    raise ConfigError(f"no API key named '{name}'", key="NAME")
                row.revoked = True

        _retry(write)

    def api_keys(self) -> list[ApiKeyRow]:
        """Every named key (revoked ones too), oldest first."""
        with Session(self.reader) as s:
            return list(s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id)))

    def feedback(self) -> list[FeedbackRow]:
        """Every piece of feedback, oldest first."""
        with Session(self.reader) as s:
            return list(s.scalars(select(FeedbackRow).order_by(FeedbackRow.id)))

    def datasets(self) -> list[DatasetRow]:
        """Every registered dataset."""
        with Session(self.reader) as s:
            return list(s.scalars(select(DatasetRow).order_by(DatasetRow.id)))


def open_registry(url: str | None = None) -> Registry:
    """The registry at a SQLAlchemy URL, or the SQLite file under AFINA_HOME."""
    if url is None:
        home = afina_home()
        home.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{home / 'registry.db'}"
    return Registry(url)
