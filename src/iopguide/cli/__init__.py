"""The command line: typer commands, the terminal interview, errors turned into exit codes.

The only layer that prints; nothing imports it. The entry point is ``iopguide.cli.assess:main``.
"""
