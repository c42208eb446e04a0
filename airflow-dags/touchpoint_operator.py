"""The one operator of the Touchpoint DAGs: spark-submit of the jobs jar with one touchpoint command."""
from __future__ import annotations

import re

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import Variable

try:
    from airflow.sdk.exceptions import AirflowFailException
except ImportError:  # Airflow 3.0
    from airflow.exceptions import AirflowFailException

import touchpoint_common as tp

_EXIT = re.compile(r"Error code is: (\d+)")


class TouchpointSubmitOperator(SparkSubmitOperator):
    """Submits `touchpoint <command> ...` to the cluster of the `touchpoint_spark` Connection.

    Jar, packages, extra jars and Spark conf come from the Variables listed in touchpoint_common,
    resolved when the task runs. A non-zero exit names the DAG, the stage and the meaning of the
    code; codes a retry cannot fix (usage, gate, config, critical alert) fail without retrying.
    """

    def __init__(self, *, task_id: str, command: str, args: tuple[str, ...] = (), **kwargs):
        super().__init__(
            task_id=task_id,
            conn_id=tp.SPARK_CONN_ID,
            application="{{ var.value.%s }}" % tp.VAR_JAR,
            java_class=tp.MAIN_CLASS,
            jars="{{ var.value.get('%s', '') }}" % tp.VAR_JARS,
            packages="{{ var.value.get('%s', '%s') }}" % (tp.VAR_PACKAGES, tp.DEFAULT_PACKAGES),
            name=f"touchpoint-{task_id}",
            application_args=tp.application_args(command, *args),
            **kwargs,
        )
        self.touchpoint_command = command

    def execute(self, context):
        conf = dict(tp.DEFAULT_SPARK_CONF)
        conf.update(Variable.get(tp.VAR_SPARK_CONF, default={}, deserialize_json=True))
        key_file = Variable.get(tp.VAR_HMAC_KEY_FILE, default=tp.DEFAULT_HMAC_KEY_FILE)
        conf.setdefault("spark.executorEnv.TOUCHPOINT_HMAC_KEY_FILE", key_file)
        self.conf = {**conf, **(self.conf or {})}
        self.env_vars = {"TOUCHPOINT_HMAC_KEY_FILE": key_file, **(self.env_vars or {})}
        try:
            return super().execute(context)
        except Exception as e:
            code = self._exit_code(e)
            if code is None:
                raise
            message = tp.failure_message(self.dag_id, self.task_id, list(self.application_args), code)
            if not tp.retry_helps(code):
                raise AirflowFailException(message) from e
            raise RuntimeError(message) from e

    def _exit_code(self, error: Exception) -> int | None:
        process = getattr(getattr(self, "_hook", None), "_submit_sp", None)
        code = getattr(process, "returncode", None)
        if code:
            return code
        match = _EXIT.search(str(error))
        return int(match.group(1)) if match else None


def stage(task_id: str, command: str, *args: str, **kwargs) -> TouchpointSubmitOperator:
    """One pipeline stage as a task, with the stage's execution timeout."""
    kwargs.setdefault("execution_timeout", tp.TIMEOUTS[command])
    return TouchpointSubmitOperator(task_id=task_id, command=command, args=args, **kwargs)
