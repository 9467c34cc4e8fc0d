"""The ``bedrock-catalog`` command line, one module per command group.

``_app`` parses and maps errors to exit codes, ``_run`` holds one invocation (options, logging,
the catalog), ``_list``/``_status``/``_cache``/``_bundle`` are the commands, ``_progress`` draws
the fetch's progress line and ``_render`` writes tables and messages. The CLI calls only the
library's public face (``bestehorn_llmmanager.bedrock.catalog``) and is the only part of the
package that prints.
"""

from __future__ import annotations

from ._app import build_parser, main

__all__ = ["build_parser", "main"]
