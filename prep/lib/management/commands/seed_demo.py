import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from prep.lib.content import seeders

DEMO_PASSWORD = "prep-demo-password"
ROLES = ("mle", "research", "applied")


class Command(BaseCommand):
    help = "Create demo users with realistic history (idempotent for --small)."

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true", help="Three demo users, one per role.")
        parser.add_argument("--users", type=int, default=3)
        parser.add_argument("--days", type=int, default=14)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, small=False, users=3, days=14, seed=2026, **options):
        from prep.accounts import services as account_services

        if small:
            users, days = 3, 10
        rng = random.Random(seed)
        User = get_user_model()
        created = []
        for n in range(users):
            role = ROLES[n % len(ROLES)]
            email = "demo@prep.local" if n == 0 else f"demo{n}@prep.local"
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
        self.stdout.write(
            f"Demo users ready ({len(created)} new). Log in as demo@prep.local / {DEMO_PASSWORD}"
        )
