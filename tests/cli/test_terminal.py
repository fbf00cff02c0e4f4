"""A Ctrl-C that arrives while readline calls back with the line just typed (Enter
pressed a moment before) stops the interview. Raised inside that callback, Python
printed the KeyboardInterrupt and went on with the answer (issue 27, item 12: 2 in
160 tries). The race is made certain here: the signal is sent from inside the
callback, through the real ctypes callback machinery; only readline itself is left
out."""

from __future__ import annotations

import ctypes
import os
import signal
from types import SimpleNamespace
from typing import Any

import pytest

from iopguide.cli import terminal


def test_ctrl_c_inside_the_readline_callback_stops_the_line(monkeypatch, capfd):
    editor: Any = terminal.LineEditor.__new__(terminal.LineEditor)  # no real readline
    handlers: list[Any] = []
    editor.callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
    editor.install = lambda _prompt, handler: handlers.append(handler)
    editor.remove = lambda: None
    editor.readline = SimpleNamespace(add_history=lambda _text: None)
    sent: list[int] = []

    def string_at(_address: int) -> bytes:
        if not sent:  # the first time readline calls back: Ctrl-C arrives
            sent.append(signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)
        return b"40"

    editor.string_at = string_at
    editor.read_char = lambda: handlers[-1](1)  # readline has a whole line: it calls back
    monkeypatch.setattr("select.select", lambda r, _w, _x, _t: (r, [], []))
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            editor.line("> ")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sent == [signal.SIGINT]
    assert "Exception ignored" not in capfd.readouterr().err
    assert signal.getsignal(signal.SIGINT) is previous
