"""``gkcheck serve``: the checks as a web page for units and reviewers and an HTTP API for a CMS.

:mod:`~gkcheck.serve.app` answers HTTP (Starlette, run by uvicorn); the CPU-heavy checks run
in a bounded pool of worker processes (:mod:`~gkcheck.serve.pool`), each executing
:mod:`~gkcheck.serve.work`; :mod:`~gkcheck.serve.cli` adds the sub-command. See
docs/http-api.md.
"""
