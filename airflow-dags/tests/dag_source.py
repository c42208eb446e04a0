"""Reads a DAG file with `ast` (Airflow is not installed here): its DAG(...) arguments, the tasks
built with `stage(...)` and the `>>` dependencies, evaluating only literals, names bound to literals
and attributes of touchpoint_common."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import touchpoint_common as tp

DAGS = Path(__file__).resolve().parent.parent


class NotLiteral(Exception):
    pass


@dataclass
class Task:
    var: str
    task_id: str
    command: str
    args: list
    kwargs: dict  # name -> evaluated value, or the ast node when not literal

    def application_args(self) -> list[str]:
        return tp.application_args(self.command, *self.args)


@dataclass
class DagSource:
    path: Path
    tree: ast.Module
    dag_kwargs: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)  # task_id -> Task
    edges: set = field(default_factory=set)  # (upstream task_id, downstream task_id)


def evaluate(node, names):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "tp":
        return getattr(tp, node.attr)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [evaluate(e, names) for e in node.elts]
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:  # {**other, ...}
                out.update(evaluate(v, names))
            else:
                out[evaluate(k, names)] = evaluate(v, names)
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return evaluate(node.left, names) + evaluate(node.right, names)
    raise NotLiteral(ast.dump(node))


def _value(node, names):
    try:
        return evaluate(node, names)
    except NotLiteral:
        return node


def _operands(node):
    """a >> b >> [c, d] parses as ((a >> b) >> [c, d]): the operands in order."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
        return _operands(node.left) + [node.right]
    return [node]


def parse(file_name: str) -> DagSource:
    path = DAGS / file_name
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    src = DagSource(path, tree)
    names = {}
    for node in tree.body:  # module-level names bound to literals, e.g. RUN_DATE = "{{ params.to_date }}"
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = evaluate(node.value, names)
            except NotLiteral:
                pass
    var_to_task = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "DAG":
                    src.dag_kwargs = {k.arg: _value(k.value, names) for k in call.keywords}
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "stage"):
            positional = [evaluate(a, names) for a in node.value.args]
            task = Task(node.targets[0].id, positional[0], positional[1], positional[2:],
                        {k.arg: _value(k.value, names) for k in node.value.keywords})
            assert task.task_id not in src.tasks, f"duplicate task id {task.task_id}"
            src.tasks[task.task_id] = task
            var_to_task[task.var] = task.task_id
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.BinOp) and isinstance(node.value.op, ast.RShift):
            groups = []
            for operand in _operands(node.value):
                elts = operand.elts if isinstance(operand, (ast.List, ast.Tuple)) else [operand]
                groups.append([var_to_task[e.id] for e in elts])
            for up, down in zip(groups, groups[1:]):
                src.edges |= {(u, d) for u in up for d in down}
    return src


def topological_order(tasks, edges) -> list[str]:
    """Kahn's algorithm; raises on a cycle."""
    indegree = {t: 0 for t in tasks}
    for _, d in edges:
        indegree[d] += 1
    ready = sorted(t for t, n in indegree.items() if n == 0)
    order = []
    while ready:
        t = ready.pop(0)
        order.append(t)
        for u, d in sorted(edges):
            if u == t:
                indegree[d] -= 1
                if indegree[d] == 0:
                    ready.append(d)
    if len(order) != len(tasks):
        raise AssertionError(f"cycle among {set(tasks) - set(order)}")
    return order


def module_level_calls(tree: ast.Module) -> list[str]:
    """Dotted names of calls made at import time (outside function bodies)."""
    out = []

    def visit(node, in_function):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_function = True
        if isinstance(node, ast.Call) and not in_function:
            out.append(ast.unparse(node.func))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(tree, False)
    return out
