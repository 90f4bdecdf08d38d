"""Lex Maria (PSL 3 kap. 3–5, 8 §§, HSLF-FS 2017:40): DOMAIN.md §3.2.

The MAS investigates (händelseanalys) and, by default, decides. The patient must have been
informed (PSL 3 kap. 8 §) and a medical device reported to Läkemedelsverket before closing.
"""

from __future__ import annotations

from . import steps
from .ivo_flow import build_ivo_flow
from .registry import register

FLOW = register(
    build_ivo_flow(
        "lex_maria",
        awaiting="awaiting_assessment",
        investigating_role="mas",
        close_checks=(steps.patient_informed, steps.medical_device_reported),
    )
)
