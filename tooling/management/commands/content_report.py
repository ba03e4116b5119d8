import json

from django.core.management.base import BaseCommand, CommandError

from tooling.content.report import build_report


class Command(BaseCommand):
    help = (
        "Count the catalogue by kind, area, tag, role and difficulty and run its checks; "
        "exits non-zero when a check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, json=False, **options):
        try:
            report = build_report()
        except ValueError as exc:  # a content file that does not validate
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_json.dumps(report, indent=2, sort_keys=True))
        else:
            for key, value in report.items():
                if key == "checks":
                    continue
                self.stdout.write(f"{key}: {value}")
            for name, result in report["checks"].items():
                self.stdout.write(f"check {name}: {result}")
        failed = [name for name, result in report["checks"].items() if result != "pass"]
        if failed:
            raise CommandError(f"content checks failed: {', '.join(failed)}")


_json = json
