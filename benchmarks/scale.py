"""Synthetic rule sets N times the shipped one, for the growth benchmark (growth.py).

``python benchmarks/scale.py DIR [--large]`` writes, for each size N (1, 2, 5, 10;
with ``--large`` also 30 and 50), ``DIR/Nx/questionnaire.yaml``, ``DIR/Nx/rules.yaml``,
``DIR/Nx/texts/en.yaml`` and ``DIR/Nx/cases/``: N renamed copies of
rules/questionnaire.yaml, rules/default.yaml and their English texts (copy 0 keeps
its names, copy k adds ``_xk`` to question, section and score ids and ``-xk`` to rule
ids), every bundled case with its answers copied into each copy, and
``answers.json``: examples/iop.yaml's answers copied likewise.
The copies share the levels, dimensions and settings, so a case gives the same level
at every size, with every copy's alerts: every case passes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from iopguide.authoring.cases import case_files, load_case
from iopguide.io.load import bundled

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SIZES = (1, 2, 5, 10)
LARGE = (30, 50)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _read(name: str) -> Any:
    return yaml.safe_load(Path(bundled(name)).read_text(encoding="utf-8"))


def _snake(name: str, k: int) -> str:
    return name if k == 0 else f"{name}_x{k}"


def _kebab(name: str, k: int) -> str:
    return name if k == 0 else f"{name}-x{k}"


def _condition(node: Any, k: int) -> Any:
    """A condition with every answer and score it reads renamed for copy k."""
    if isinstance(node, list):
        return [_condition(n, k) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("answer", "score") and isinstance(value, str):
            out[key] = _snake(value, k)
        else:
            out[key] = _condition(value, k)
    return out


def questionnaire(copies: int) -> dict[str, Any]:
    base = _read("questionnaire.yaml")
    sections = []
    for k in range(copies):
        for section in base["sections"]:
            s = {**section, "id": _snake(section["id"], k)}
            if k:
                s["title"] = f"{section['title']} ({k + 1})"
            questions = []
            for question in section["questions"]:
                q = {**question, "id": _snake(question["id"], k)}
                if k:  # the interview pauses once, at the first copy's question
                    q.pop("safety_pause", None)
                if "when" in q:
                    q["when"] = _condition(q["when"], k)
                questions.append(q)
            s["questions"] = questions
            sections.append(s)
    return {**base, "sections": sections}


def ruleset(copies: int) -> dict[str, Any]:
    base = _read("default.yaml")
    scores, rules = [], []
    for k in range(copies):
        for score in base.get("scores", []):
            s = {**score, "id": _snake(score["id"], k)}
            if "sum" in s:
                s["sum"] = [_snake(x, k) for x in s["sum"]]
            if "count" in s:
                s["count"] = _condition(s["count"], k)
            scores.append(s)
        rules += [
            {**rule, "id": _kebab(rule["id"], k), "when": _condition(rule["when"], k)}
            for rule in base["rules"]
        ]
    return {**base, "scores": scores, "rules": rules}


def cases(copies: int) -> dict[str, dict[str, Any]]:
    """Every bundled case, flattened (bases merged in) and copied into each copy."""
    out = {}
    for path in case_files(bundled("cases")):
        loaded = load_case(path)
        expect = loaded.case.expect
        assert expect is not None
        answers = {_snake(q, k): v for k in range(copies) for q, v in loaded.answers.items()}
        wanted: dict[str, Any] = {"level": expect.level}

        def every(ids: tuple[str, ...] | list[str], rename: Any = _kebab) -> list[str]:
            return [rename(i, k) for k in range(copies) for i in ids]

        wanted["alerts"] = every(expect.alerts)
        wanted["considerations"] = every(expect.considerations)
        wanted["absent"] = every(expect.absent)
        if expect.setting is not None:
            wanted["setting"] = expect.setting
        if expect.provisional is not None:
            wanted["provisional"] = expect.provisional
        if expect.missing is not None:
            wanted["missing"] = every(expect.missing, _snake)
        out[path.name] = {"story": loaded.case.story, "answers": answers, "expect": wanted}
    return out


def texts(copies: int) -> dict[str, Any]:
    """The English texts beside the copies: the bundled ones, with the words of
    someone answering for the person (``other:``) given again for every copy's
    questions, sections and rules."""
    base = _read("texts/en.yaml")
    rename = {"questions": _snake, "sections": _snake, "rules": _kebab}
    other: dict[str, Any] = {}
    for k in range(copies):
        for key, value in base.get("other", {}).items():
            kind, name, rest = key.split(".", 2)
            if kind in rename:
                other[f"{kind}.{rename[kind](name, k)}.{rest}"] = value
            elif k == 0:
                other[key] = value
    return {**base, "other": other}


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True))


def build(folder: Path, copies: int) -> Path:
    """Write the set N times the shipped one under ``folder/Nx``; return that folder."""
    target = folder / f"{copies}x"
    (target / "cases").mkdir(parents=True, exist_ok=True)
    _dump(target / "questionnaire.yaml", questionnaire(copies))
    _dump(target / "rules.yaml", ruleset(copies))
    (target / "texts").mkdir(exist_ok=True)
    _dump(target / "texts" / "en.yaml", texts(copies))
    for name, case in cases(copies).items():
        _dump(target / "cases" / name, case)
    example = yaml.safe_load((EXAMPLES / "iop.yaml").read_text(encoding="utf-8"))
    answers = {_snake(q, k): v for k in range(copies) for q, v in example.items()}
    (target / "answers.json").write_text(json.dumps(answers))
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the sets (a temp dir)")
    parser.add_argument("--large", action="store_true", help="also 30x and 50x")
    args = parser.parse_args(argv)
    for copies in SIZES + (LARGE if args.large else ()):
        print(build(args.folder, copies), file=sys.stderr)


if __name__ == "__main__":
    main()
