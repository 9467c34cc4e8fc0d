"""0.9's path of ``build_json_schema_output_config`` (it lives in ``.._content``)."""

from ..._content import build_json_schema_output_config

__all__ = ["build_json_schema_output_config"]
