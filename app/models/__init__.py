"""All models, imported here so that metadata and Alembic see every table."""

from .archive import ArchiveDelivery
from .audit import AccessLogEntry, AppendOnlyLogError, ChainHead, LogReview, LogReviewItem
from .base import Base, utcnow
from .cases import CASE_TYPES, AffectedPerson, Attachment, Case, ReferenceCounter
from .co_investigators import CoInvestigator, co_investigated_case_ids, current_co_investigators
from .complaint import Complaint, ComplaintTheme, complaint_units
from .deadlines import Deadline, DeadlineAct, DeadlinePolicy, DeadlineRule
from .decision import Closure, Decision, Filing, IvoResponse
from .deviation import Category, DeviationAssessment
from .directory import DirectoryGroup, DirectoryGroupMember, GroupMapping
from .documents import StoredDocument
from .history import AppendOnlyError, CaseEvent
from .imported_counts import ImportedCount
from .investigation import (
    Action,
    AnalysisParticipant,
    ImmediateMeasures,
    Investigation,
    InvestigationItem,
)
from .notifications import Notification, OutboxMail
from .org import ROLES, Unit, UnitManager, User, UserRole, unit_ids_managed_by
from .patient_information import PatientInformation
from .records_release import RecordsRelease
from .retention import RetentionRecord, RetentionRun, RetentionSkip
from .scheduler import SchedulerHeartbeat
from .scim import ScimToken, ScimUserAttributes, current_scim_token, rotate_scim_token
from .second_factor import RecoveryCode, SecondFactor
from .security import LoginAttempt
from .settings import Setting, get_setting, set_setting
from .statistics_pdf import StatisticsPdf
from .tokens import ApiToken, hash_token
from .trail import AdminEvent, PurgeSeal

__all__ = [
    "ArchiveDelivery",
    "ScimToken",
    "ScimUserAttributes",
    "current_scim_token",
    "rotate_scim_token",
    "AdminEvent",
    "PurgeSeal",
    "AccessLogEntry",
    "AppendOnlyLogError",
    "ChainHead",
    "LogReview",
    "LogReviewItem",
    "LoginAttempt",
    "RetentionRecord",
    "RetentionRun",
    "RetentionSkip",
    "SchedulerHeartbeat",
    "RecoveryCode",
    "SecondFactor",
    "CASE_TYPES",
    "ROLES",
    "Action",
    "AffectedPerson",
    "ApiToken",
    "AppendOnlyError",
    "Attachment",
    "Base",
    "Case",
    "CaseEvent",
    "Category",
    "DeviationAssessment",
    "DirectoryGroup",
    "DirectoryGroupMember",
    "GroupMapping",
    "PatientInformation",
    "Closure",
    "Deadline",
    "DeadlineAct",
    "DeadlinePolicy",
    "DeadlineRule",
    "Decision",
    "Filing",
    "ImmediateMeasures",
    "Investigation",
    "IvoResponse",
    "Notification",
    "OutboxMail",
    "ReferenceCounter",
    "Setting",
    "StoredDocument",
    "Unit",
    "UnitManager",
    "User",
    "UserRole",
    "get_setting",
    "hash_token",
    "set_setting",
    "unit_ids_managed_by",
    "utcnow",
    "AnalysisParticipant",
    "InvestigationItem",
    "CoInvestigator",
    "co_investigated_case_ids",
    "current_co_investigators",
    "RecordsRelease",
    "ImportedCount",
    "StatisticsPdf",
    "Complaint",
    "ComplaintTheme",
    "complaint_units",
]

from .feedback import Feedback  # noqa: E402

__all__ += ["Feedback"]

from .public import CaseMessage, PublicLink, Receipt  # noqa: E402

__all__ += ["CaseMessage", "PublicLink", "Receipt"]
