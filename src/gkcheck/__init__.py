"""gkcheck: checks submissions for the 政务公开主题日 campaign.

Public API::

    import gkcheck
    result = gkcheck.check("report.docx")          # or a folder: one submission
    print(result.ok, [f.rule for f in result.findings])
    print(result.to_json())

Plugins import :data:`hookimpl`, :class:`Rule`, :class:`Finding`, :class:`Severity` from here.
Names are loaded on first use, so ``import gkcheck`` stays cheap for a CMS hook and the
vision layer can be imported without the document stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "check": "gkcheck.api",
    "check_many": "gkcheck.api",
    "Config": "gkcheck.config",
    "load_config": "gkcheck.config",
    "Finding": "gkcheck.findings",
    "Location": "gkcheck.findings",
    "Result": "gkcheck.findings",
    "Severity": "gkcheck.findings",
    "hookimpl": "gkcheck.hookspecs",
    "Block": "gkcheck.model",
    "Document": "gkcheck.model",
    "Photo": "gkcheck.model",
    "Role": "gkcheck.model",
    "Submission": "gkcheck.model",
    "Check": "gkcheck.rules",
    "CheckContext": "gkcheck.rules",
    "Rule": "gkcheck.rules",
    "check_function": "gkcheck.rules",
}

__all__ = [
    "Block",
    "Check",
    "CheckContext",
    "Config",
    "Document",
    "Finding",
    "Location",
    "Photo",
    "Result",
    "Role",
    "Rule",
    "Severity",
    "Submission",
    "__version__",
    "check",
    "check_function",
    "check_many",
    "hookimpl",
    "load_config",
]

if TYPE_CHECKING:
    from gkcheck.api import check, check_many
    from gkcheck.config import Config, load_config
    from gkcheck.findings import Finding, Location, Result, Severity
    from gkcheck.hookspecs import hookimpl
    from gkcheck.model import Block, Document, Photo, Role, Submission
    from gkcheck.rules import Check, CheckContext, Rule, check_function


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gkcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
