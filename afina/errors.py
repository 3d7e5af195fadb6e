"""The errors a user can act on, one type per kind, each mapped to an exit code by the CLI.

Anything else that escapes is a bug (exit 1). See docs/design.md, "Contracts every stage keeps".
"""


class AfinaError(Exception):
    """Base of every error whose message is meant for the user."""

    exit_code = 1


class ConfigError(AfinaError):
    """The config file, a `--set` override or a CLI argument is wrong. `key` names where."""

    exit_code = 2

    def __init__(self, message: str, key: str | None = None, file: str | None = None):
        where = ", ".join(p for p in (f"file {file}" if file else "", f"key '{key}'" if key else "") if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.key = key
        self.file = file


class DataError(AfinaError):
    """A data file is wrong. Names the file, the row (1-based, header excluded) and the column."""

    exit_code = 2

    def __init__(self, message: str, file: str | None = None, row: int | None = None, column: str | None = None):
        parts = [
            f"{file}" if file else "",
            f"row {row}" if row is not None else "",
            f"column '{column}'" if column else "",
        ]
        where = ", ".join(p for p in parts if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.row = row
        self.column = column


class DataErrors(DataError):
    """Several row-level problems found in one pass, so the user fixes them all at once."""

    def __init__(self, errors: list[DataError], file: str, limit: int = 20):
        shown = "\n".join(f"  - {e}" for e in errors[:limit])
        more = f"\n  … and {len(errors) - limit} more" if len(errors) > limit else ""
        Exception.__init__(self, f"{len(errors)} problem(s) in {file}:\n{shown}{more}")
        self.errors = errors
        self.file = file
        self.row = errors[0].row
        self.column = errors[0].column


class TrainingStopped(AfinaError):
    """Training was asked to stop (SIGTERM, as a scheduler sends): a checkpoint was saved, resume from it."""

    exit_code = 143  # 128 + SIGTERM: what a shell reports for a process the signal ended


class GateFailed(AfinaError):
    """An evaluation gate failed: the model should not ship."""

    exit_code = 3


class DriftDetected(AfinaError):
    """Production inputs (or feedback) drifted past the monitor's thresholds: time to retrain."""

    exit_code = 4
