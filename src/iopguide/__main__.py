"""Run iopguide as ``python -m iopguide``."""

from iopguide.cli.app import main

main()
