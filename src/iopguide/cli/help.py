"""Help pages that name things as a reader expects: ``FILE``, ``EARLIER``, ``[text|json]``.

Typer's own help shows Python types beside each name (``FILE <list[str]>``) and braces
round required arguments (``{EARLIER}``), and its layout has changed between releases.
These command classes write the usage line and the argument and option lists with
click's formatter from the parameters alone, so the help reads the same whatever
version of typer is installed. (Newer typer releases carry their own copy of click, so
parameters are told apart by ``param_type_name``, not by click's classes.)
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def choice_names(param: Any) -> list[str]:
    """The values a choice parameter accepts (none for other parameters)."""
    # click keeps the choices on ``param.type``; typer 0.2x on ``param.type_descriptor``.
    for holder in (getattr(param, "type", None), getattr(param, "type_descriptor", None)):
        choices = getattr(holder, "choices", None)
        if choices:
            return [str(getattr(c, "value", c)) for c in choices]
    return []


def metavar(param: Any) -> str:
    """What a value of ``param`` is called in the help."""
    if param.metavar:
        return str(param.metavar)
    choices = choice_names(param)
    if choices:
        return "[" + "|".join(choices) + "]"
    return (param.name or "value").upper()


def _argument(param: Any) -> str:
    name = metavar(param) + ("..." if param.nargs != 1 else "")
    return name if param.required else f"[{name}]"


def _option_record(param: Any) -> tuple[str, str]:
    names = ", ".join(sorted(param.opts, key=len))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    if not param.is_flag:
        names += " " + metavar(param)
    text = param.help or ""
    default = param.default
    if param.show_default is not False and not param.is_flag and default not in (None, ()):
        shown = getattr(default, "value", default)
        text = f"{text}  [default: {shown}]".strip()
    if param.required:
        text = f"{text}  [required]".strip()
    return names, text


def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    pieces = [command.options_metavar] if command.options_metavar else []
    pieces += [_argument(p) for p in command.get_params(ctx) if p.param_type_name == "argument"]
    return pieces


def _format_parameters(command: Any, ctx: Any, formatter: Any) -> None:
    arguments, options = [], []
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            help_text = getattr(param, "help", None) or ""
            if param.required:
                help_text = f"{help_text}  [required]".strip()
            arguments.append((metavar(param) + ("..." if param.nargs != 1 else ""), help_text))
        elif param.param_type_name == "option" and not param.hidden:
            options.append(_option_record(param))
    if arguments:
        with formatter.section("Arguments"):
            formatter.write_dl(arguments)
    if options:
        with formatter.section("Options"):
            formatter.write_dl(options)


class Command(TyperCommand):
    """A command whose help names its parameters plainly."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage_pieces(self, ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        _format_parameters(self, ctx, formatter)
        self.format_epilog(ctx, formatter)


class Group(TyperGroup):
    """A group of commands whose help names its parameters plainly."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        _format_parameters(self, ctx, formatter)
        commands = []
        for name in self.list_commands(ctx):
            sub = self.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                commands.append((name, sub.get_short_help_str(limit=formatter.width - 20)))
        if commands:
            with formatter.section("Commands"):
                formatter.write_dl(commands)
        self.format_epilog(ctx, formatter)
