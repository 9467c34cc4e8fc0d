"""0.9's ``bedrock.models`` package: its modules are thin re-exports of the real code.

Shared by several engineers' re-export modules; keep it light (no imports) and only add.
"""
