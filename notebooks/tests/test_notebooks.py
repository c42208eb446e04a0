"""The analyst notebooks, checked without PySpark (which cannot be installed here): each is a valid
nbformat 4 notebook stored without outputs, its Python compiles, and all of its data access is Spark
SQL in the form that jobs/.../NotebookSqlTest extracts and runs against a generated warehouse, so
that test sees every statement a notebook runs."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent
ROOT = NOTEBOOKS.parent
FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
# The pattern NotebookSqlTest (Notebook.SQL_CALL) extracts statements with.
SQL_CALL = re.compile(r'spark\.sql\(\s*(f?)"""(.*?)"""\s*\)', re.DOTALL)
TABLE = re.compile(r"\b(gold|restricted)\.([a-z_]+)\b")


def read(path: Path):
    return nbformat.read(str(path), as_version=nbformat.NO_CONVERT)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def parameters(nb) -> dict:
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "exactly one cell is tagged 'parameters'"
    values = {}
    for node in ast.parse(cells[0].source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name), \
            f"the parameters cell only assigns literals to names: {ast.unparse(node)}"
        assert isinstance(node.value, ast.Constant), f"{ast.unparse(node)}: a parameter is a literal (papermill)"
        values[node.targets[0].id] = node.value.value
    return values


def sql_calls(tree):
    """Every call of spark.sql(...) in a cell."""
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "sql" and isinstance(n.func.value, ast.Name) and n.func.value.id == "spark"]


def test_the_three_notebooks_are_there():
    assert [f.name for f in FILES] == ["attribution_explorer.ipynb", "channel_roi_and_kpis.ipynb",
                                       "customer_value_and_segments.ipynb"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_valid_nbformat_4_with_a_python_kernel(path):
    nb = read(path)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.kernelspec.language == "python"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    """Outputs would commit warehouse data (and, from restricted tables, customer-level rows)."""
    for cell in code_cells(read(path)):
        assert cell.outputs == [], f"cell {cell.id} has stored outputs: clear them before committing"
        assert cell.execution_count is None, f"cell {cell.id} has an execution count"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_code_cell_compiles_as_plain_python(path):
    for cell in code_cells(read(path)):
        assert not re.search(r"^\s*[%!]", cell.source, re.MULTILINE), f"cell {cell.id}: no magics or shell lines"
        compile(cell.source, f"{path.name}:{cell.id}", "exec")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_parameters_connect_to_touchpoint_serve(path):
    nb = read(path)
    values = parameters(nb)
    assert values["SPARK_REMOTE"] == "sc://localhost:15002"
    assert values["RUN_DATE"] is None, "RUN_DATE = None: the latest run in the warehouse"
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", name) for name in values)
    text = "\n".join(c.source for c in nb.cells)
    assert "SparkSession.builder.remote(" in text
    assert "bin/touchpoint serve --warehouse" in text, "the notebook says how to start serve"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_all_data_access_is_sql_the_java_test_extracts(path):
    """spark is used only through spark.sql(<triple-quoted literal or f-string>), and the f-strings
    hold only {PARAMETER} placeholders: exactly what NotebookSqlTest finds, substitutes and runs."""
    nb = read(path)
    names = set(parameters(nb))
    calls = 0
    for cell in code_cells(nb):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "spark":
                assert node.attr == "sql", f"cell {cell.id}: spark.{node.attr}: read data with spark.sql only"
        found = sql_calls(tree)
        assert len(found) == len(SQL_CALL.findall(cell.source)), \
            f"cell {cell.id}: every spark.sql call takes one triple-double-quoted string (the Java test's pattern)"
        for call in found:
            assert len(call.args) == 1 and not call.keywords, f"cell {cell.id}: spark.sql takes the statement only"
            arg = call.args[0]
            segment = ast.get_source_segment(cell.source, arg)
            assert segment.startswith(('"""', 'f"""')), f"cell {cell.id}: write the statement as \"\"\"...\"\"\""
            if isinstance(arg, ast.JoinedStr):
                for part in arg.values:
                    if isinstance(part, ast.FormattedValue):
                        assert isinstance(part.value, ast.Name) and part.value.id in names \
                            and part.conversion == -1 and part.format_spec is None, \
                            f"cell {cell.id}: an f-string placeholder is a bare parameter name: {ast.unparse(part)}"
                    else:
                        assert "{" not in part.value and "}" not in part.value, f"cell {cell.id}: no literal braces"
            else:
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), f"cell {cell.id}: a string"
            calls += 1
    assert calls >= 8, "a notebook is mostly SQL"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_tables_read_are_documented(path):
    """Every gold/restricted table a notebook reads has its columns in docs/TABLES.md."""
    documented = set(re.findall(r"^## ((?:gold|restricted)\.[a-z_]+)\s*$", (ROOT / "docs" / "TABLES.md").read_text(),
                                re.MULTILINE))
    nb = read(path)
    used = {f"{s}.{t}" for c in code_cells(nb) for _, sql in SQL_CALL.findall(c.source) for s, t in TABLE.findall(sql)}
    assert used, "reads some table"
    assert used <= documented, f"not in docs/TABLES.md: {sorted(used - documented)}"


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for f in FILES:
        assert f"notebooks/{f.name}" in readme, f"README's Analysts section lists notebooks/{f.name}"
