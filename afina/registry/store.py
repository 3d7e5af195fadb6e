"""SQLAlchemy tables and the few operations the stages and `afina runs` need."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from afina.runfolder import afina_home


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


class Registry:
    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)
        Base.metadata.create_all(self.engine)

    def add_dataset(self, path: Path, report: dict) -> int:
        """Record a prepared dataset (its folder and data report); returns its id."""
        with Session(self.engine) as s, s.begin():
            row = DatasetRow(
                hash=report["hash"],
                source=report["source"],
                kind=report["kind"],
                path=str(Path(path).resolve()),
                report=report,
            )
            s.add(row)
            s.flush()
            return row.id

    def record_run(self, run_dir: Path, name: str, status: str, config: dict, **fields) -> int:
        """Insert or update the run whose folder is run_dir; metrics are merged, not replaced."""
        key = str(Path(run_dir).resolve())
        with Session(self.engine) as s, s.begin():
            row = s.scalar(select(RunRow).where(RunRow.run_dir == key))
            if row is None:
                row = RunRow(run_dir=key, name=name, status=status, config=config, metrics={})
                s.add(row)
            row.status, row.config = status, config
            metrics = fields.pop("metrics", None)
            if metrics:
                row.metrics = {**(row.metrics or {}), **metrics}
            for field, value in fields.items():
                setattr(row, field, value)
            s.flush()
            return row.id

    def add_model(self, run_id: int | None, kind: str, path: Path | str, parent: str | None) -> int:
        """Record a model (base, adapter, model or merged) with the run and the model it came from; returns its id."""
        with Session(self.engine) as s, s.begin():
            row = ModelRow(run_id=run_id, kind=kind, path=str(path), parent=parent)
            s.add(row)
            s.flush()
            return row.id

    def runs(self) -> list[RunRow]:
        """Every registered run, oldest first."""
        with Session(self.engine) as s:
            return list(s.scalars(select(RunRow).order_by(RunRow.created_at, RunRow.id)))

    def models(self, run_id: int | None = None) -> list[ModelRow]:
        """Every registered model, or a run's."""
        with Session(self.engine) as s:
            query = select(ModelRow).order_by(ModelRow.id)
            if run_id is not None:
                query = query.where(ModelRow.run_id == run_id)
            return list(s.scalars(query))

    def datasets(self) -> list[DatasetRow]:
        """Every registered dataset."""
        with Session(self.engine) as s:
            return list(s.scalars(select(DatasetRow).order_by(DatasetRow.id)))


def open_registry(url: str | None = None) -> Registry:
    """The registry at a SQLAlchemy URL, or the SQLite file under AFINA_HOME."""
    if url is None:
        home = afina_home()
        home.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{home / 'registry.db'}"
    return Registry(url)
