"""The wheel's build hook: parse snapshots of the bundled rule files (``io.snapshot``).

Each bundled questionnaire and rule set, and each language file beside them
(``rules/texts/*.yaml``: the English catalogue and every language's words), is parsed
by iopguide's own loader
(``io.load``, imported from ``src``, so the hook needs the runtime dependencies) and
stored as ``iopguide/snapshot/<name>.json`` in the wheel. An editable install gets
none and parses the YAML, as any build without this hook.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLED = ("questionnaire.yaml", "default.yaml")  # and every rules/texts/*.yaml


def bundled_names(rules: Path) -> list[str]:
    """The bundled files that get a snapshot: the rule files and the language files."""
    texts = sorted(f"texts/{path.name}" for path in (rules / "texts").glob("*.yaml"))
    return [*BUNDLED, *texts]


class SnapshotHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from iopguide.errors import RulesError
            from iopguide.io import snapshot
            from iopguide.io.load import DEFINITIONS, parse_document
        finally:
            sys.path.pop(0)
        self._folder = Path(tempfile.mkdtemp(prefix="iopguide-snapshot-"))
        for name in bundled_names(root / "rules"):
            raw = (root / "rules" / name).read_bytes()
            document = parse_document(raw, name, RulesError, DEFINITIONS)
            try:
                made_bytes = snapshot.encode(document.data, document.lines, document.sha256)
            except ValueError as e:  # the wheel still works: that file is parsed at run time
                self.app.display_warning(f"no parse snapshot of rules/{name}: {e}")
                continue
            made = self._folder / f"{name}.json"
            made.parent.mkdir(parents=True, exist_ok=True)
            made.write_bytes(made_bytes)
            target = snapshot.path_for(Path("iopguide"), name).as_posix()
            build_data["force_include"][str(made)] = target

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
