"""Run iopguide as ``python -m iopguide``."""

from iopguide.cli.assess import main

main()
