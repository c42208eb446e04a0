"""touchpoint_adhoc: an analyst's attribution and CLV run with their own settings, without the CLI.

Trigger it from the UI ("Trigger DAG w/ config") or `touchpoint airflow trigger --dag touchpoint_adhoc
--conf '{...}'`. The conversion period is from_date..to_date (attribution --run-date to_date
--window-days <days in the period>); results go to the analyst's `sandbox_<name>` schema
(--output-schema), never to the production gold tables. Both tasks read the production silver tables
and run in parallel.
"""
from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG, Param

import touchpoint_common as tp
from touchpoint_operator import stage

RUN_DATE = "{{ params.to_date }}"
WINDOW_DAYS = ("{{ (macros.datetime.strptime(params.to_date, '%Y-%m-%d')"
               " - macros.datetime.strptime(params.from_date, '%Y-%m-%d')).days + 1 }}")

with DAG(
    dag_id=tp.DAG_ADHOC,
    description="Analyst run: attribution and CLV for a chosen period and settings into a sandbox schema",
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=2,
    default_args={**tp.DEFAULT_ARGS, "retries": 1},
    params={
        "from_date": Param("2026-03-01", type="string", format="date", description="First day of the conversion period"),
        "to_date": Param("2026-03-31", type="string", format="date", description="Last day of the conversion period"),
        "lookback_days": Param(30, type="integer", minimum=1, maximum=365, description="Journey lookback in days"),
        "order": Param(1, type="integer", minimum=1, maximum=4, description="Markov order"),
        "models": Param("markov,first,last,linear,time_decay,position,experience_split", type="string",
                        description="Attribution models, comma-separated"),
        "bootstrap": Param(200, type="integer", minimum=0, description="Bootstrap replicates (0 for none)"),
        "output_schema": Param("sandbox_analyst", type="string", pattern="^sandbox_[a-z][a-z0-9_]{0,39}$",
                               description="Where the results go: sandbox_<name>"),
    },
    render_template_as_native_obj=False,
    tags=["touchpoint", "adhoc"],
) as dag:
    attribution = stage(
        "attribution", "attribution",
        "--run-date", RUN_DATE,
        "--window-days", WINDOW_DAYS,
        "--lookback-days", "{{ params.lookback_days }}",
        "--order", "{{ params.order }}",
        "--models", "{{ params.models }}",
        "--bootstrap", "{{ params.bootstrap }}",
        "--output-schema", "{{ params.output_schema }}",
    )
    clv = stage("clv", "clv", "--run-date", RUN_DATE, "--output-schema", "{{ params.output_schema }}")
