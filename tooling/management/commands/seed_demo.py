"""``manage.py seed_demo``: demo users with realistic history.

manage.py seed_demo --small                 # `make demo`: three demo users, through the
                                            # apps' own seeders (idempotent, seconds)
manage.py seed_demo --users 500 --days 60   # bulk history at scale (tooling/demo/bulk.py)
"""

import random
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from curriculum import signals
from tooling.demo import DEMO_EMAIL, DEMO_PASSWORD, seeders

ROLES = ("mle", "research", "applied")


class Command(BaseCommand):
    help = (
        "Create demo users with realistic history: --small (three demo users, idempotent) "
        "or --users N --days D (bulk, seed<N>@prep.local; refuses to run twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true", help="Three demo users, one per role.")
        parser.add_argument("--users", type=int, default=None, help="Bulk: this many users.")
        parser.add_argument("--days", type=int, default=None, help="Bulk: days of history.")
        parser.add_argument(
            "--transcripts",
            type=int,
            default=1000,
            help="Bulk: captured transcripts spread over the users (default 1000).",
        )
        parser.add_argument(
            "--segments",
            default="500-3000",
            help="Bulk: segments per transcript, MIN-MAX (default 500-3000).",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, small=False, users=None, days=None, seed=2026, **options):
        if small or users is None:
            return self._small(seed=seed)
        from tooling.demo.bulk import PASSWORD, SeedError
        from tooling.demo.bulk import seed as bulk_seed

        try:
            low, _, high = options["segments"].partition("-")
            segments = (int(low), int(high or low))
        except ValueError as exc:
            raise CommandError("--segments takes MIN-MAX, e.g. 500-3000") from exc
        days = 60 if days is None else days
        started = time.perf_counter()
        self.stdout.write(f"Seeding {users} users x {days} days (bulk)...")
        try:
            counts = bulk_seed(
                users=users,
                days=days,
                transcripts=options["transcripts"],
                segments=segments,
                seed=seed,
                log=self.stdout.write,
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        for name, n in counts.rows.items():
            self.stdout.write(f"  {name}: {n:,}")
        self.stdout.write(
            f"Seeded {users} users x {days} days in {elapsed:.1f} s. "
            f"Log in as seed1@prep.local / {PASSWORD}"
        )

    def _small(self, *, seed: int):
        # The seeded bookings and reviews would print every email they send on the console
        # (about a thousand lines); the demo login must be the last thing a reader sees.
        # Each seeded review reports in a transaction of its own: the dashboard refreshes once
        # per user at the end rather than after each of them (most of the seeding time).
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            signals.announced_once(),
        ):
            created = self._small_users(seed=seed)
        self.stdout.write(
            f"Demo users ready ({len(created)} new; their seeded emails were not printed).\n"
            f"Log in at {settings.SITE_URL}/ as {DEMO_EMAIL} / {DEMO_PASSWORD}"
        )

    def _small_users(self, *, seed: int) -> list[str]:
        from prep.accounts import services as account_services

        users, days = 3, 10
        rng = random.Random(seed)
        User = get_user_model()
        created = []
        for n in range(users):
            role = ROLES[n % len(ROLES)]
            email = DEMO_EMAIL if n == 0 else f"demo{n}@prep.local"
            if User.objects.filter(email=email).exists():
                continue
            with transaction.atomic():
                user = User.objects.create_user(
                    username=email.split("@")[0], email=email, password=DEMO_PASSWORD
                )
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                profile = account_services.profile_get_or_create(user=user)
                account_services.profile_update(
                    profile=profile,
                    data={
                        "role": role,
                        "weekly_hours": 10,
                        "weekdays": [0, 1, 2, 3, 4, 5],
                        "timezone": "UTC",
                        "target_companies": "",
                        "interview_date": None,
                    },
                )
                for seeder in seeders():
                    summary = seeder.func(user, days=days, rng=rng)
                    self.stdout.write(f"  {email} {seeder.name}: {summary}")
            created.append(email)
        return created
