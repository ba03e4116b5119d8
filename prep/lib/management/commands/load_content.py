from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from prep.lib.content import loaders


class Command(BaseCommand):
    help = "Load the catalogue content of every app (idempotent; a failed load changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", help="Run only the named loader(s).")

    def handle(self, *args, only=None, **options):
        selected = [loader for loader in loaders() if not only or loader.name in only]
        if only and len(selected) != len(set(only)):
            known = ", ".join(loader.name for loader in loaders())
            raise CommandError(f"Unknown loader in {only}; known loaders: {known}")
        try:
            with transaction.atomic():
                for loader in selected:
                    summary = loader.func()
                    self.stdout.write(f"{loader.name}: {summary}")
        except ValueError as exc:  # content errors name file, entry and field
            raise CommandError(str(exc)) from exc
