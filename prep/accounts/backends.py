"""Authentication backends: Django's and allauth's, loading the user with their profile.

Every signed-in request needs both (the onboarding middleware reads the profile, and most
pages its timezone and role), so one joined query replaces two on every request. The same
query says whether the user has a verified email address (``email_verified``: every page's
banner asks, prep.accounts.context_processors), as a subquery instead of a query of its own.

Every signed-in request runs this query, so its SQL is written once per process
(``_user_sql``, from the models' own tables and columns) rather than built by the ORM on
each request, which cost about a millisecond of CPU, many times running it. The row becomes
model instances as the ORM's ``select_related`` makes them (prep.lib.rows; the profile
cached on the user and the user on the profile). ``users_with_profile`` is the ORM statement it stands for;
tests/accounts/test_backends.py holds the two to the same users.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connections, router
from django.db.models import Exists, OuterRef

from prep.accounts.models import Profile
from prep.lib import rows


def users_with_profile():
    """The users, each with the profile (select_related) and ``email_verified``: the ORM's
    statement of what ``load_user`` reads."""
    return (
        get_user_model()
        ._default_manager.select_related("profile")
        .annotate(
            email_verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True))
        )
    )


# The statement by database vendor: the models' tables and columns, and a vendor's quoting,
# do not change while the process runs.
_statements: dict[str, str] = {}


def _user_sql(connection) -> str:
    sql = _statements.get(connection.vendor)
    if sql is None:
        sql = _statements[connection.vendor] = _write_user_sql(connection.ops.quote_name)
    return sql


def _write_user_sql(quote_name) -> str:
    User = get_user_model()
    user, profile, email = User._meta, Profile._meta, EmailAddress._meta

    def column(opts, name):
        return quote_name(opts.get_field(name).column)

    user_pk = f"u.{quote_name(user.pk.column)}"
    return (
        f"SELECT {rows.columns(User, 'u', quote_name)}, "
        f"{rows.columns(Profile, 'p', quote_name)}, EXISTS ("
        f"SELECT 1 FROM {quote_name(email.db_table)} e "
        f"WHERE e.{column(email, 'user')} = {user_pk} AND e.{column(email, 'verified')}) "
        f"FROM {quote_name(user.db_table)} u "
        f"LEFT JOIN {quote_name(profile.db_table)} p ON p.{column(profile, 'user')} = {user_pk} "
        f"WHERE {user_pk} = %s"
    )


def load_user(user_id):
    """The user with this id, with their profile (None when they have none) already on
    ``user.profile`` and ``user.email_verified``; None when there is no such user. One query."""
    User = get_user_model()
    connection = connections[router.db_for_read(User)]
    with connection.cursor() as cursor:
        cursor.execute(_user_sql(connection), [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n_user, n_profile = rows.width(User), rows.width(Profile)
    user = rows.reader(User, "u", connection)(row[:n_user])
    profile_row = row[n_user : n_user + n_profile]
    profile = None
    if profile_row[Profile._meta.concrete_fields.index(Profile._meta.pk)] is not None:
        profile = rows.reader(Profile, "p", connection)(profile_row)
    # As select_related("profile") leaves them: user.profile is the profile, or raises
    # RelatedObjectDoesNotExist (no query) when there is none; profile.user is the user.
    User.profile.related.set_cached_value(user, profile)
    if profile is not None:
        Profile.user.field.set_cached_value(profile, user)
    user.email_verified = bool(row[n_user + n_profile])
    return user


class _WithProfile:
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_WithProfile, DjangoModelBackend):
    pass


class AuthenticationBackend(_WithProfile, AllauthBackend):
    pass
