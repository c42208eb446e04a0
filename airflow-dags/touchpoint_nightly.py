"""touchpoint_nightly: every stage of one export date, one Spark job per stage.

Graph: ingest_<source> (six, in parallel) >> identity >> silver >> [attribution, clv] >> marts
>> alerts >> publish >> maintain. Housekeeping (compaction, and VACUUM on the vacuum day) runs
after the gold tables are announced, so it never delays the morning's dashboards. The run date is the logical date ({{ ds }}): a catchup or
`airflow dags backfill` over a range runs the dates in order, one at a time (max_active_runs=1).
"""
from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG, Asset
from airflow.timetables.interval import CronDataIntervalTimetable

import touchpoint_common as tp
from touchpoint_operator import stage

GOLD_ASSETS = [Asset(name=f"gold.{t}", uri=tp.asset_uri(t)) for t in tp.GOLD_TABLES]

with DAG(
    dag_id=tp.DAG_NIGHTLY,
    description="Touchpoint nightly: ingest each source, resolve identities, build silver, attribution and CLV, marts, alerts, publish, maintain",
    doc_md=__doc__,
    # One run per UTC day D: its data interval is [D, D+1) and its logical date D 00:00 UTC, so
    # {{ ds }} is the export date D (Airflow 3's default cron timetable would name the run after its
    # trigger time, D+1). It starts at 00:00 UTC = 08:00 Asia/Shanghai, after D's exports (complete
    # by 03:00 local) have landed.
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=True,
    max_active_runs=1,
    default_args=tp.DEFAULT_ARGS,
    tags=["touchpoint", "nightly"],
) as dag:
    ingest_pos = stage("ingest_pos", "ingest", "--run-date", tp.RUN_DATE, "--sources", "pos")
    ingest_webshop = stage("ingest_webshop", "ingest", "--run-date", tp.RUN_DATE, "--sources", "webshop")
    ingest_marketplace = stage("ingest_marketplace", "ingest", "--run-date", tp.RUN_DATE, "--sources", "marketplace")
    ingest_touchpoints = stage("ingest_touchpoints", "ingest", "--run-date", tp.RUN_DATE, "--sources", "touchpoints")
    ingest_ad_spend = stage("ingest_ad_spend", "ingest", "--run-date", tp.RUN_DATE, "--sources", "ad_spend")
    ingest_crm = stage("ingest_crm", "ingest", "--run-date", tp.RUN_DATE, "--sources", "crm")

    # Identity is incremental: day D links its identifiers into the identity map of D-1 (customer
    # ids are decided by the oldest identifier), and silver carries state forward too
    # (silver.orders merges late refunds, silver.customers aggregates every day so far). Running
    # them for D while D-1 failed would build on a hole, so both wait for their previous run.
    identity = stage("identity", "identity", "--run-date", tp.RUN_DATE, depends_on_past=True)
    silver = stage("silver", "silver", "--run-date", tp.RUN_DATE, depends_on_past=True)

    attribution = stage("attribution", "attribution", "--run-date", tp.RUN_DATE)
    clv = stage("clv", "clv", "--run-date", tp.RUN_DATE)
    marts = stage("marts", "marts", "--run-date", tp.RUN_DATE)
    # Client deploy mode so that the driver's exit code (6 = critical alert) reaches the task.
    alerts = stage("alerts", "alerts", "--run-date", tp.RUN_DATE, deploy_mode="client")
    # The outlets announce the gold tables once the whole run, alerts included, has passed.
    publish = stage("publish", "publish", "--run-date", tp.RUN_DATE, "--asset-events", "skip", outlets=GOLD_ASSETS)
    # Compacts tables with many small files and, on the vacuum day (conf maintenance.vacuum-day), vacuums.
    maintain = stage("maintain", "maintain", "--run-date", tp.RUN_DATE)

    [ingest_pos, ingest_webshop, ingest_marketplace, ingest_touchpoints, ingest_ad_spend, ingest_crm] >> identity
    identity >> silver >> [attribution, clv] >> marts >> alerts >> publish >> maintain
