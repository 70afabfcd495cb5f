"""SQLModel tables of the marketplace; importing this package registers them all."""
from models.account import LoginSession, User
from models.activity import AuditEvent, ExportRecord, Job, Notification, OutboxEmail
from models.bid import Bid, BidCreate, Invitation
from models.enums import (
    AffiliationType,
    BidStatus,
    CertLevel,
    DataKind,
    Language,
    MatchStatus,
    ProblemStatus,
    Region,
    Role,
    Sector,
    Sensitivity,
)
from models.match import Match, Milestone, ProgressPost, Solution
from models.matching import Embedding, IndexVersion
from models.organisation import Organisation
from models.problem import Problem, ProblemCreate
from models.team import PortfolioProject, Team, TeamConflict, TeamMember

__all__ = [
    "AffiliationType", "AuditEvent", "Bid", "BidCreate", "BidStatus", "CertLevel", "DataKind",
    "Embedding", "ExportRecord", "IndexVersion", "Invitation", "Job", "Language", "LoginSession", "Match",
    "MatchStatus", "Milestone", "Notification", "Organisation", "OutboxEmail", "PortfolioProject",
    "Problem", "ProblemCreate", "ProblemStatus", "ProgressPost", "Region", "Role", "Sector",
    "Sensitivity", "Solution", "Team", "TeamConflict", "TeamMember", "User",
]
