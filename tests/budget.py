"""What every pinned query count starts with.

A signed-in request reads its session, then its user joined to the profile, with whether
the email address is verified (prep.accounts.backends: one query). With a shared cache (REDIS_URL set) sessions are ``cached_db``:
read from the cache, so no session query; with the database alone, one. The counts below are
written as ``SESSION + <the page's own queries, the user included>``.
"""

from django.conf import settings

SESSION = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
