"""The app ends when its terminal hangs up, instead of living on without one."""

from __future__ import annotations

import os

import pytest

from tests.tui.conftest import settle
from tui.app import RecoupeApp

pytestmark = pytest.mark.asyncio


async def test_the_app_exits_once_its_terminal_hangs_up(
    app: RecoupeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    exits: list[bool] = []
    monkeypatch.setattr(app, "exit", lambda *args, **kwargs: exits.append(True))
    master, terminal = os.openpty()
    try:
        async with app.run_test() as pilot:
            await settle(pilot)
            app.watch_terminal(terminal, every=0.02)
            await pilot.pause(0.1)
            assert not exits  # the terminal is there: the app goes on
            os.close(master)  # what closing the window or killing tmux does to it
            master = -1
            await pilot.pause(0.2)
            assert exits
    finally:
        os.close(terminal)
        if master != -1:
            os.close(master)
