"""MLflow's default SQLite store (``mlflow.db``), read with the standard library's ``sqlite3``.

Table ``metrics(key, value, timestamp, run_uuid, step, is_nan)``: MLflow stores a NaN as
``value = 0.0`` with ``is_nan = 1``, so that row is read as NaN. Every run that is not deleted is
its own run, named ``<file>/<run name>``. The database is opened read-only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from fitlint.logs.readers.mlflow_files import class_param
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, records

SQLITE_MAGIC = b"SQLite format 3\x00"


class Reader(BaseReader):
    name = "mlflow-sqlite"
    priority = 35

    def claims(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".db", ".sqlite", ".sqlite3"):
            return False
        return head.startswith(SQLITE_MAGIC) or path.name == "mlflow.db"

    def run_key(self, path: Path) -> Path:
        return path

    def read(self, files: list[Path]) -> list[Piece]:
        pieces = []
        for path in files:
            if not path.read_bytes()[:16].startswith(SQLITE_MAGIC):
                raise LogReadError(path, "not an SQLite database")
            try:
                con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            except sqlite3.Error as error:
                raise LogReadError(path, f"cannot open SQLite database ({error})") from None
            try:
                tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if "metrics" not in tables:
                    raise LogReadError(path, "SQLite database without a 'metrics' table: not an MLflow store")
                has_runs = "runs" in tables
                query = ("SELECT m.run_uuid, m.key, m.value, m.step, m.is_nan"
                         + (", r.name AS run_name FROM metrics m LEFT JOIN runs r ON r.run_uuid = m.run_uuid "
                            "WHERE r.lifecycle_stage IS NULL OR r.lifecycle_stage != 'deleted'"
                            if has_runs else ", NULL AS run_name FROM metrics m"))
                frame = pd.read_sql_query(query, con)
                params = (pd.read_sql_query("SELECT run_uuid, key, value FROM params", con)
                          if "params" in tables else pd.DataFrame(columns=["run_uuid", "key", "value"]))
            except sqlite3.Error as error:
                raise LogReadError(path, f"cannot read the MLflow tables ({error})") from None
            finally:
                con.close()
            if frame.empty:
                raise LogReadError(path, "MLflow store has no metric values")
            values = frame["value"].to_numpy(dtype="float64").copy()
            values[frame["is_nan"].to_numpy().astype(bool)] = np.nan
            frame = frame.assign(value=values)
            names = frame.drop_duplicates("run_uuid")["run_name"].fillna("")
            repeated = set(names[names.duplicated()])
            for run_uuid, group in frame.groupby("run_uuid", sort=False):
                name = group["run_name"].iloc[0] or str(run_uuid)[:8]
                if name in repeated:
                    name = f"{name} ({str(run_uuid)[:8]})"  # two runs of one store with one name
                run_params = dict(params.loc[params["run_uuid"] == run_uuid, ["key", "value"]].itertuples(index=False))
                group = group.sort_values(["key", "step"], kind="stable")
                recs = records(group["key"].to_numpy(), group["value"].to_numpy(),
                               step=group["step"].to_numpy(dtype="float64"))
                pieces.append(Piece(self.name, path, recs, name=f"{path.parent.name}/{name}",
                                    num_classes=class_param(run_params), has_epochs=False))
        return pieces
