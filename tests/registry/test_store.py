"""The registry under concurrency and crashes, on SQLite and on a PostgreSQL server: processes that open a
fresh registry and write the same run at once all succeed; a run keeps the history of its statuses; a
registry from a newer release is refused."""

import subprocess
import sys

import pytest
from sqlalchemy import create_engine

from afina.errors import ConfigError
from afina.registry import open_registry
from afina.registry.store import SCHEMA_VERSION, DatasetRow, ModelRow, RunRow, SchemaRow

WRITER = """
import sys
from afina.registry import open_registry
url, me, shared = sys.argv[1], sys.argv[2], sys.argv[3]
for i in range(8):
    registry = open_registry(url)
    registry.record_run(shared, "shared", "trained", {"i": i},
                        model={"kind": "adapter", "path": f"/models/{me}-{i}", "parent": None})
    registry.record_run(f"{shared}-{me}", "own", "evaluated", {}, metrics={"eval": {"i": i}})
"""


def test_processes_writing_a_fresh_registry_at_once_all_succeed(tmp_path, database_url):
    url, shared, writers = database_url, str(tmp_path / "runs" / "shared"), 6
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, str(n), shared], stderr=subprocess.PIPE, text=True)
        for n in range(writers)
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs if p.wait(timeout=300) != 0]
    assert errors == [], errors[0][-2000:]
    registry = open_registry(url)
    runs = {run.name: run for run in registry.runs()}
    assert len(registry.runs()) == 1 + writers  # one row for the shared run folder, whoever wrote it first
    assert len(registry.statuses(runs["shared"].id)) == 8 * writers
    assert len(registry.models(runs["shared"].id)) == 8 * writers
    own = [run for run in registry.runs() if run.name == "own"]
    assert all(run.metrics == {"eval": {"i": 7}} for run in own)  # a write retried after a lost race keeps them


def test_a_run_keeps_its_status_history_and_stale_metrics_can_be_cleared(tmp_path, database_url):
    registry = open_registry(database_url)
    run_id = registry.record_run(tmp_path / "r", "r", "trained", {}, metrics={"train": {"loss": 1.0}})
    registry.record_run(tmp_path / "r", "r", "gate_failed", {}, metrics={"eval": {"f1": 0.1}, "gate": {"passed": 0}})
    registry.record_run(tmp_path / "r", "r", "exported", {}, keep_status=True)
    [run] = registry.runs()
    assert run.status == "gate_failed" and registry.statuses(run_id) == ["trained", "gate_failed", "exported"]
    registry.record_run(
        tmp_path / "r", "r", "trained", {}, metrics={"train": {"loss": 0.5}, "eval": None, "gate": None}
    )
    [run] = registry.runs()
    assert run.metrics == {"train": {"loss": 0.5}} and run.status == "trained"


def test_a_registry_of_the_release_before_the_schema_version_is_migrated(tmp_path, database_url):
    url = database_url
    engine = create_engine(url)
    for table in (DatasetRow, RunRow, ModelRow):  # what the previous release created
        table.__table__.create(engine)
    engine.dispose()
    registry = open_registry(url)
    run_id = registry.record_run(tmp_path / "r", "r", "trained", {})
    assert registry.statuses(run_id) == ["trained"]


def test_a_registry_written_by_a_newer_release_is_refused(tmp_path, database_url):
    url = database_url
    open_registry(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(SchemaRow.__table__.update().values(version=SCHEMA_VERSION + 1))
    engine.dispose()
    with pytest.raises(ConfigError, match="written by a newer afina"):
        open_registry(url)
