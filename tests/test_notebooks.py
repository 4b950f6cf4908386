"""The notebooks of notebooks/ are stored without outputs and end by checking their results.

Running them is ``make test``'s job (``pytest --nbmake notebooks``); these tests only read the
files, so a notebook saved with its outputs (which could hold text of the development corpus,
not part of this repository) or without final assertions fails fast.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _code_cells(path: Path) -> list[dict]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def _source(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def test_the_notebooks_are_there() -> None:
    names = [path.name for path in NOTEBOOKS]
    assert "01-quickstart.ipynb" in names
    assert "02-actor-network.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    cells = _code_cells(path)
    assert cells, f"{path.name} has no code cells"
    for number, cell in enumerate(cells, start=1):
        assert cell.get("outputs") == [], f"{path.name}: code cell {number} has stored outputs"
        assert cell.get("execution_count") is None, (
            f"{path.name}: code cell {number} has an execution count; clear the outputs"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_on_the_project_kernel(path: Path) -> None:
    kernel = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert kernel["name"] == "python3"  # the interpreter running the tests, with ipykernel


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_last_code_cell_asserts(path: Path) -> None:
    last = ast.parse(_source(_code_cells(path)[-1]))
    asserts = [node for node in ast.walk(last) if isinstance(node, ast.Assert)]
    assert asserts, f"{path.name}: the last code cell should check the results with assert"
