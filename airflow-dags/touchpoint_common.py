"""Shared settings of the Touchpoint DAGs: names, retries, command lines.

Pure Python (no Airflow import) so that the DAG tests can build the exact command lines the tasks
run. Everything site-specific comes from Airflow Variables and one Connection, read when a task
runs (templates / execute), never when the scheduler parses the file:

Connection ``touchpoint_spark`` (type Spark)
    host = the master (``yarn``, ``k8s://https://...``, ``spark://host:7077``); extra JSON may set
    ``deploy-mode``, ``queue``, ``spark-binary``, ``namespace``.
Variables
    ``touchpoint_jobs_jar`` (required)   path or URI of ``touchpoint-jobs.jar``
    ``touchpoint_exports`` (required)    root of the channel exports (``--exports``)
    ``touchpoint_warehouse`` (required)  root of the Delta warehouse (``--warehouse``)
    ``touchpoint_jars``                  extra jars, comma-separated (the touchpoint-lib and
                                         touchpoint-airflow-client jars); default none
    ``touchpoint_packages``              Maven coordinates for ``--packages``; default
                                         ``DEFAULT_PACKAGES`` below
    ``touchpoint_spark_conf``            JSON object merged over ``DEFAULT_SPARK_CONF``
    ``touchpoint_hmac_key_file``         path of the HMAC key file on the driver and executors
                                         (a path, never the key); default
                                         ``/etc/touchpoint/hmac.key``
No secret is read or written here: the key file, object-store credentials and the cluster's
Kerberos settings stay on the cluster and in the Connection.
"""
from __future__ import annotations

from datetime import timedelta

DAG_NIGHTLY = "touchpoint_nightly"
DAG_ADHOC = "touchpoint_adhoc"
DAG_DASHBOARD = "touchpoint_dashboard_refresh"

SPARK_CONN_ID = "touchpoint_spark"
MAIN_CLASS = "io.touchpoint.cli.Touchpoint"

VAR_JAR = "touchpoint_jobs_jar"
VAR_EXPORTS = "touchpoint_exports"
VAR_WAREHOUSE = "touchpoint_warehouse"
VAR_JARS = "touchpoint_jars"
VAR_PACKAGES = "touchpoint_packages"
VAR_SPARK_CONF = "touchpoint_spark_conf"
VAR_HMAC_KEY_FILE = "touchpoint_hmac_key_file"

DEFAULT_PACKAGES = ("io.delta:delta-spark_2.13:4.3.1,info.picocli:picocli:4.7.7,"
                    "org.apache.commons:commons-math3:3.6.1")
DEFAULT_SPARK_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}
DEFAULT_HMAC_KEY_FILE = "/etc/touchpoint/hmac.key"

# The run date of a scheduled run is its logical date, rendered by Airflow; never the wall clock.
RUN_DATE = "{{ ds }}"

# Sources of the export contracts (BronzeTable.sources() in the jobs jar); one ingest task each.
SOURCES = ("pos", "webshop", "marketplace", "touchpoints", "ad_spend", "crm")

# Gold tables the nightly run leaves for BI tools, in the order of the stages that write them.
# attribution: AttributionJob; clv: ClvJob; marts and alerts: issue 6 (KPI marts).
GOLD_TABLES = (
    "attribution_by_channel", "attribution_paths", "attribution_transitions", "attribution_daily",
    "attribution_journeys_daily",
    "clv_model", "ltv_by_acquisition_channel",
    "kpi", "kpi_catalog", "repurchase_matrix", "channel_overlap", "channel_roi",
    "channel_value_matrix", "customer_segments", "clv_distribution",
    "alerts",
)


def asset_uri(table: str) -> str:
    """The Airflow asset of a gold table; `touchpoint publish` posts events to the same URI."""
    return f"touchpoint://gold/{table}"


# Exit codes of the touchpoint CLI (README "Exit codes") and whether a retry can help.
EXIT_CODES = {
    1: ("internal error; in cluster deploy mode also any driver failure, see the driver log", True),
    2: ("usage error (bad arguments)", False),
    3: ("input data problem (a missing or unreadable export)", True),  # a late delivery may still land
    4: ("data-quality gate failed", False),
    5: ("configuration problem", False),
    6: ("critical alert fired", False),
    7: ("run lock held", True),
    8: ("an Airflow run failed", False),
}

DEFAULT_ARGS = {
    "owner": "data-platform",
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
    "execution_timeout": timedelta(hours=2),
}

# Per-stage wall-clock limits, sized from docs/BENCHMARKS.md with room for growth.
TIMEOUTS = {
    "ingest": timedelta(hours=1),
    "identity": timedelta(hours=1),
    "silver": timedelta(hours=1),
    "attribution": timedelta(hours=1),
    "clv": timedelta(hours=1),
    "marts": timedelta(minutes=45),
    "alerts": timedelta(minutes=20),
    "publish": timedelta(minutes=20),
    "maintain": timedelta(hours=1),
}


def application_args(command: str, *args: str) -> list[str]:
    """The touchpoint command line a task submits: the command, its options, exports and warehouse.

    Exports and warehouse are templates over the Variables, rendered when the task runs.
    """
    return [command, *args,
            "--exports", "{{ var.value.%s }}" % VAR_EXPORTS,
            "--warehouse", "{{ var.value.%s }}" % VAR_WAREHOUSE]


def failure_message(dag_id: str, task_id: str, command: list[str], exit_code: int | None) -> str:
    """What a failed task says: the DAG, the stage, the command and what its exit code means."""
    meaning, _ = EXIT_CODES.get(exit_code, ("unexpected exit code", True))
    head = f"{dag_id}: stage '{task_id}' failed"
    if exit_code == 6:
        head = f"{dag_id}: stage '{task_id}' raised a CRITICAL ALERT"
    return (f"{head}: `touchpoint {' '.join(command)}` exited {exit_code} ({meaning}). "
            f"The task log above has the touchpoint error message with its fix.")


def retry_helps(exit_code: int | None) -> bool:
    return EXIT_CODES.get(exit_code, ("", True))[1]
