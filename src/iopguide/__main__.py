"""Run iopguide as ``python -m iopguide``."""

from iopguide.cli import main

main()
