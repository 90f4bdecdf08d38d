"""Lex Sarah (SoL 27 kap. 2–6 §§, LSS 24 a–g §§, SOSFS 2011:5): DOMAIN.md §3.1.

The SAS investigates; the deciding role (default: the committee chair) decides on filing.
"""

from __future__ import annotations

from .ivo_flow import build_ivo_flow
from .registry import register

FLOW = register(
    build_ivo_flow("lex_sarah", awaiting="awaiting_investigation", investigating_role="sas")
)
