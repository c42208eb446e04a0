"""touchpoint_dashboard_refresh: runs when the nightly run (or `touchpoint publish`) updates the gold tables.

Scheduled on the gold assets, so it waits for every one of them to have a new event. It registers
the gold tables by name again (`touchpoint publish --asset-events skip`, no run date), which
refreshes the metastore entries BI tools read; a BI tool's extract refresh can follow this DAG.
"""
from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG, Asset

import touchpoint_common as tp
from touchpoint_operator import stage

with DAG(
    dag_id=tp.DAG_DASHBOARD,
    description="Refresh the dashboards once the gold tables of a run date are published",
    doc_md=__doc__,
    schedule=[Asset(name=f"gold.{t}", uri=tp.asset_uri(t)) for t in tp.GOLD_TABLES],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=tp.DEFAULT_ARGS,
    tags=["touchpoint", "dashboards"],
) as dag:
    # An asset-triggered run has no logical date, so no run date: publish only registers the tables.
    refresh = stage("refresh_tables", "publish", "--asset-events", "skip")
