from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import User

# What `flask users token EMAIL` names a token when not told; the UI always asks for a name.
DEFAULT_NAME = "API-token"
# The lifetime a token gets when the caller does not say (config API_TOKEN_DAYS in the app).
DEFAULT_LIFETIME = timedelta(days=90)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(Base):
    """A bearer token for the JSON API; only its hash is stored. Named by its owner, so that a
    list of them says which integration each one is, and with an end date, so that a token
    forgotten in a script stops working by itself."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Written at most once a minute per token (app/api/auth.py), not on every request.
    last_used_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(default=False)
    user: Mapped[User] = relationship()

    @classmethod
    def issue(
        cls,
        user: User,
        name: str = DEFAULT_NAME,
        lifetime: timedelta = DEFAULT_LIFETIME,
        now: datetime | None = None,
    ) -> tuple[ApiToken, str]:
        """The row and the token itself, which is shown once and never stored."""
        token = "lxf_" + secrets.token_urlsafe(32)
        now = now or utcnow()
        row = cls(
            user=user,
            token_hash=hash_token(token),
            name=name,
            created_at=now,
            expires_at=now + lifetime,
        )
        return row, token

    def usable(self, now: datetime) -> bool:
        return not self.revoked and self.expires_at > now
