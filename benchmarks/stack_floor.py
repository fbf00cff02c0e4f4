"""iopguide's own command line with every command's body replaced by nothing.

``python benchmarks/stack_floor.py assess --answers f.json --format json`` parses
its options exactly as ``iopguide`` does (typer, and the pydantic adapters it
builds for each option), then stops: the floor of the stack the command stands on.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from iopguide.cli.app import app


def _nothing(command: Any) -> Any:
    @functools.wraps(command)
    def nothing(*_args: Any, **_kwargs: Any) -> None:
        return None

    return nothing


def main() -> None:
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    for group in app.registered_groups:
        for info in group.typer_instance.registered_commands:
            info.callback = _nothing(info.callback)
    app(prog_name="iopguide")


if __name__ == "__main__":
    main()
