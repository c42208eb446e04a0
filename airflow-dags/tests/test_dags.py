"""Policy and structure of the Touchpoint DAGs, read with `ast` (Airflow cannot be installed here),
and every command line a task would run checked by the touchpoint CLI itself (`--dry-run`)."""
from __future__ import annotations

import ast
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import jinja2
import pytest

import touchpoint_common as tp
from dag_source import DAGS, module_level_calls, parse, topological_order

ROOT = DAGS.parent
DAG_FILES = ["touchpoint_nightly.py", "touchpoint_adhoc.py", "touchpoint_dashboard_refresh.py"]
NIGHTLY = parse("touchpoint_nightly.py")
ADHOC = parse("touchpoint_adhoc.py")
DASHBOARD = parse("touchpoint_dashboard_refresh.py")

INGEST = [f"ingest_{s}" for s in tp.SOURCES]
NIGHTLY_ORDER = [*INGEST, "identity", "silver", "attribution", "clv", "marts", "alerts", "publish", "maintain"]

# Commands and options other branches add; until they are merged, the dry run of a command line
# using them is skipped with this reason (and only for these).
PENDING = {}  # command -> reason, for a DAG task whose command is not merged yet (none now)


# --- structure ---------------------------------------------------------------------------------

def test_nightly_has_one_task_per_stage_and_one_ingest_per_source():
    assert sorted(NIGHTLY.tasks) == sorted(NIGHTLY_ORDER)
    for source in tp.SOURCES:
        task = NIGHTLY.tasks[f"ingest_{source}"]
        assert task.command == "ingest"
        assert task.args == ["--run-date", "{{ ds }}", "--sources", source]


def test_nightly_dependencies_are_the_true_ones():
    expected = {(i, "identity") for i in INGEST} | {
        ("identity", "silver"), ("silver", "attribution"), ("silver", "clv"),
        ("attribution", "marts"), ("clv", "marts"), ("marts", "alerts"), ("alerts", "publish"), ("publish", "maintain")}
    assert NIGHTLY.edges == expected


def test_nightly_graph_has_no_cycle_and_runs_the_stages_in_order():
    order = topological_order(NIGHTLY.tasks, NIGHTLY.edges)
    position = {t: i for i, t in enumerate(order)}
    stages = [INGEST, ["identity"], ["silver"], ["attribution", "clv"], ["marts"], ["alerts"], ["publish"], ["maintain"]]
    for earlier, later in zip(stages, stages[1:]):
        assert max(position[t] for t in earlier) < min(position[t] for t in later), (earlier, later)
    # Sources ingest in parallel and attribution and CLV run in parallel: no edge inside a group.
    for group in (INGEST, ["attribution", "clv"]):
        assert not {(u, d) for u, d in NIGHTLY.edges if u in group and d in group}


def test_cycle_detection_fails_on_a_cycle():
    with pytest.raises(AssertionError, match="cycle"):
        topological_order({"a": 1, "b": 1}, {("a", "b"), ("b", "a")})


def test_nightly_is_one_run_at_a_time_with_catchup_on_a_daily_data_interval():
    kw = NIGHTLY.dag_kwargs
    assert kw["dag_id"] == "touchpoint_nightly"
    assert kw["max_active_runs"] == 1
    assert kw["catchup"] is True
    schedule = ast.unparse(kw["schedule"])
    assert schedule == "CronDataIntervalTimetable('0 0 * * *', timezone='UTC')"


def test_every_scheduled_command_takes_its_run_date_from_the_logical_date():
    for task in NIGHTLY.tasks.values():
        assert task.args[:2] == ["--run-date", "{{ ds }}"], task.task_id


def test_retries_back_off_exponentially_and_every_task_has_a_timeout():
    args = tp.DEFAULT_ARGS
    assert args["retries"] >= 2 and args["retry_exponential_backoff"] is True
    assert args["retry_delay"] >= timedelta(minutes=1) and args["max_retry_delay"] >= args["retry_delay"]
    for dag in (NIGHTLY, ADHOC, DASHBOARD):
        default_args = dag.dag_kwargs["default_args"]
        assert default_args["retries"] >= 1 and default_args["retry_exponential_backoff"] is True, dag.path
        for task in dag.tasks.values():
            timeout = task.kwargs.get("execution_timeout", tp.TIMEOUTS.get(task.command))
            assert isinstance(timeout, timedelta) and timedelta(0) < timeout <= timedelta(hours=2), task.task_id


def test_only_the_stages_that_carry_state_forward_depend_on_the_past():
    depends = {t for t, task in NIGHTLY.tasks.items() if task.kwargs.get("depends_on_past") is True}
    assert depends == {"identity", "silver"}


def test_the_alert_task_runs_in_client_mode_so_its_exit_code_reaches_airflow():
    assert NIGHTLY.tasks["alerts"].kwargs.get("deploy_mode") == "client"


def test_a_critical_alert_fails_the_task_naming_the_stage_and_is_not_retried():
    message = tp.failure_message("touchpoint_nightly", "alerts", ["alerts", "--run-date", "2026-03-31"], 6)
    assert message.startswith("touchpoint_nightly: stage 'alerts' raised a CRITICAL ALERT: "
                              "`touchpoint alerts --run-date 2026-03-31` exited 6 (critical alert fired)")
    assert not tp.retry_helps(6)
    assert not tp.retry_helps(4) and not tp.retry_helps(2) and not tp.retry_helps(5)
    assert tp.retry_helps(3) and tp.retry_helps(1)
    assert "stage 'ingest_pos' failed" in tp.failure_message("touchpoint_nightly", "ingest_pos", ["ingest"], 3)


def test_publish_outlets_are_the_gold_assets_and_the_dashboard_dag_is_scheduled_on_them():
    outlets = NIGHTLY.tasks["publish"].kwargs["outlets"]
    assert ast.unparse(outlets) == "GOLD_ASSETS"
    assets = ast.unparse(next(n.value for n in NIGHTLY.tree.body
                              if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "GOLD_ASSETS"))
    assert assets == "[Asset(name=f'gold.{t}', uri=tp.asset_uri(t)) for t in tp.GOLD_TABLES]"
    assert ast.unparse(DASHBOARD.dag_kwargs["schedule"]) == assets
    assert NIGHTLY.tasks["publish"].args[-2:] == ["--asset-events", "skip"], "inside Airflow the outlets post the events"
    assert len(set(tp.GOLD_TABLES)) == len(tp.GOLD_TABLES)
    assert tp.asset_uri("clv_model") == "touchpoint://gold/clv_model"


def test_adhoc_is_manual_with_validated_params_and_a_sandbox_schema():
    kw = ADHOC.dag_kwargs
    assert kw["schedule"] is None and kw["catchup"] is False
    params = {k.value: ast.unparse(v) for k, v in zip(kw["params"].keys, kw["params"].values)}
    assert set(params) == {"from_date", "to_date", "lookback_days", "order", "models", "bootstrap", "output_schema"}
    assert "pattern='^sandbox_[a-z][a-z0-9_]{0,39}$'" in params["output_schema"]
    assert sorted(ADHOC.tasks) == ["attribution", "clv"] and not ADHOC.edges


# --- policy over every DAG file --------------------------------------------------------------------

@pytest.mark.parametrize("name", DAG_FILES + ["touchpoint_operator.py", "touchpoint_common.py"])
def test_no_wall_clock_no_variable_reads_and_no_secrets_at_import_time(name):
    tree = ast.parse((DAGS / name).read_text(encoding="utf-8"))
    calls = module_level_calls(tree)
    for banned in ("datetime.now", "datetime.utcnow", "date.today", "pendulum.now", "time.time",
                   "Variable.get", "BaseHook.get_connection", "os.environ.get", "open"):
        assert banned not in calls, f"{name} calls {banned} when the scheduler parses it"
    text = (DAGS / name).read_text(encoding="utf-8")
    assert not re.search(r"(?i)(password|secret|api[_-]?key|token)\s*[=:]\s*['\"][^'\"{]", text), name


@pytest.mark.parametrize("name", DAG_FILES)
def test_dags_use_the_airflow_3_sdk_and_document_themselves(name):
    tree = ast.parse((DAGS / name).read_text(encoding="utf-8"))
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    assert any(i.module == "airflow.sdk" and {"DAG"} <= {a.name for a in i.names} for i in imports)
    assert not any(i.module in ("airflow.models", "airflow.models.dag", "airflow.datasets") for i in imports)
    src = parse(name)
    assert src.dag_kwargs["doc_md"] is not None and ast.get_docstring(tree)
    assert "touchpoint" in src.dag_kwargs["tags"]


# --- every command line, rendered and checked by the CLI --------------------------------------------

VARIABLES = {tp.VAR_EXPORTS: "/data/landing/exports", tp.VAR_WAREHOUSE: "/data/lake/touchpoint",
             tp.VAR_JAR: "/opt/touchpoint/touchpoint-jobs.jar"}


class _Values(dict):
    def get(self, key, default=None):
        return super().get(key, default)

    def __getattr__(self, key):
        return self[key]


class _Macros:
    from datetime import datetime


def render(task, dag) -> list[str]:
    """The task's application_args as Airflow renders them for logical date 2026-03-31."""
    params = {}
    if "params" in dag.dag_kwargs and not isinstance(dag.dag_kwargs["params"], dict):
        for k, v in zip(dag.dag_kwargs["params"].keys, dag.dag_kwargs["params"].values):
            params[k.value] = ast.literal_eval(v.args[0])
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    context = {"ds": "2026-03-31", "var": {"value": _Values(VARIABLES)}, "params": params, "macros": _Macros}
    return [env.from_string(a).render(context) for a in task.application_args()]


def _cli(args: list[str]) -> subprocess.CompletedProcess:
    jar = ROOT / "jobs/target/touchpoint-jobs.jar"
    classpath = ROOT / "jobs/target/classpath.txt"
    if not jar.exists() or not classpath.exists():
        pytest.fail(f"{jar} is missing: build it first (`mvn -pl jobs -am package`, or run `mvn verify`)")
    options = [line.strip() for line in (ROOT / "bin/jvm-options").read_text().splitlines()
               if line.strip() and not line.strip().startswith("#")]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOUCHPOINT_", "AIRFLOW_CTX_"))}
    cmd = ["java", *options, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
           f"{jar}:{classpath.read_text().strip()}", tp.MAIN_CLASS, "--dry-run", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


COMMAND_LINES = [(f"{dag.dag_kwargs['dag_id'] if isinstance(dag.dag_kwargs['dag_id'], str) else ''}:{t.task_id}", t, dag)
                 for dag in (NIGHTLY, ADHOC, DASHBOARD) for t in dag.tasks.values()]
_results = {}


def _dry_runs():
    if not _results:
        with ThreadPoolExecutor(max_workers=2) as pool:
            rendered = {name: render(task, dag) for name, task, dag in COMMAND_LINES}
            for name, result in zip(rendered, pool.map(_cli, rendered.values())):
                _results[name] = (rendered[name], result)
    return _results


def test_rendering_fills_every_template():
    args = render(NIGHTLY.tasks["ingest_pos"], NIGHTLY)
    assert args == ["ingest", "--run-date", "2026-03-31", "--sources", "pos",
                    "--exports", "/data/landing/exports", "--warehouse", "/data/lake/touchpoint"]
    adhoc = render(ADHOC.tasks["attribution"], ADHOC)
    assert adhoc[adhoc.index("--window-days") + 1] == "31", "2026-03-01..2026-03-31 is 31 days"
    assert adhoc[adhoc.index("--run-date") + 1] == "2026-03-31"


@pytest.mark.parametrize("name", [n for n, _, _ in COMMAND_LINES])
def test_every_task_runs_a_valid_touchpoint_command(name):
    args, result = _dry_runs()[name]
    if result.returncode != 0:
        pending = [reason for key, reason in PENDING.items() if key in args and key in result.stderr]
        if result.returncode == 2 and pending:
            pytest.skip(f"{' '.join(args)}: {pending[0]}")
    assert result.returncode == 0, f"touchpoint --dry-run {' '.join(args)}\n{result.stdout}{result.stderr}"
    assert result.stdout.startswith(f"dry run: touchpoint {args[0]} ")
    assert "warehouse:  /data/lake/touchpoint" in result.stdout or "warehouse: /data/lake/touchpoint" in result.stdout


def test_the_dag_ingests_exactly_the_sources_of_the_export_contracts():
    result = _cli(["ingest", "--run-date", "2026-03-31", "--sources", "no_such_source"])
    assert result.returncode == 2
    known = re.search(r"Choose from ([a-z_,]+)", result.stderr).group(1).split(",")
    assert tuple(known) == tp.SOURCES


def test_the_gold_tables_the_jobs_write_are_assets_of_the_dag():
    args, result = _dry_runs()["touchpoint_nightly:attribution"]
    nightly = _cli(["nightly", "--run-date", "2026-03-31"])
    assert nightly.returncode == 0, nightly.stderr
    writes = re.search(r"writes:\s+(.*)", nightly.stdout).group(1).split(", ")
    gold = [w.split(".", 1)[1] for w in writes if w.startswith("gold.")]
    assert gold, nightly.stdout
    assert set(gold) <= set(tp.GOLD_TABLES), f"gold tables without an asset: {set(gold) - set(tp.GOLD_TABLES)}"


# --- Airflow's own import check, where Airflow is installed ------------------------------------------

def test_dagbag_imports_every_dag_without_errors():
    pytest.importorskip("airflow", reason="Airflow is not installed here; the DagBag import test runs where it is")
    pytest.importorskip("airflow.providers.apache.spark", reason="the Apache Spark provider is not installed")
    from airflow.models.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS), include_examples=False)
    assert bag.import_errors == {}
    assert {"touchpoint_nightly", "touchpoint_adhoc", "touchpoint_dashboard_refresh"} <= set(bag.dag_ids)
    nightly = bag.get_dag("touchpoint_nightly")
    assert {t.task_id for t in nightly.tasks} == set(NIGHTLY_ORDER)
    assert nightly.max_active_runs == 1 and nightly.catchup
