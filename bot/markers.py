"""pluggy's markers for qunbot's hooks: ``@hookspec`` declares one, ``@hookimpl`` implements one."""

import pluggy

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "qunbot"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
