"""Staff accounts: roles, password hashing, authentication. No Flask (werkzeug only hashes)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from wish.errors import InvalidData
from wish.models import User

ROLES: tuple[str, ...] = ("curator", "admin")
MIN_PASSWORD = 12
# Compared against when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


def has_role(user: User | None, role: str) -> bool:
    """admin can do everything a curator can."""
    if user is None or not user.active:
        return False
    return ROLES.index(user.role) >= ROLES.index(role)


def _normal(email: str) -> str:
    return email.strip().lower()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidData(f"the password needs at least {MIN_PASSWORD} characters", field="password")


def create_user(session: Session, email: str, password: str, role: str = "curator") -> User:
    email = _normal(email)
    if "@" not in email:
        raise InvalidData("not an e-mail address", field="email")
    if role not in ROLES:
        raise InvalidData(f"role must be one of {', '.join(ROLES)}", field="role")
    check_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidData("an account with this e-mail exists", field="email")
    user = User(email=email, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    session.commit()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    check_password(password)
    user.password_hash = generate_password_hash(password)
    session.commit()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = session.scalar(select(User).where(func.lower(User.email) == _normal(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user
