"""``manage.py judge SLUG FILE [--run] [--json]`` and ``manage.py judge --selfcheck --json``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prep.judge import bank, sandbox
from prep.judge.runner import judge


class Command(BaseCommand):
    help = "Judge a file against a problem of the ML coding bank, or self-check the bank."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")
        parser.add_argument("file", nargs="?")
        parser.add_argument("--run", action="store_true", help="public examples only")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--probe", action="store_true", help="start one sandbox; exit 1 if it cannot"
        )
        parser.add_argument(
            "--selfcheck",
            action="store_true",
            help="judge every reference (accepted) and wrong solution (rejected)",
        )

    def handle(self, *args, slug=None, file=None, run=False, selfcheck=False, **options):
        as_json = options["json"]
        if options["probe"]:
            reason = sandbox.probe()
            self.stdout.write(json.dumps({"sandbox": not reason, "reason": reason}))
            if reason:
                raise SystemExit(1)
            return
        if selfcheck:
            report = bank.selfcheck()
            misses = report.pop("misses")
            if as_json:
                self.stdout.write(json.dumps(report))
            else:
                self.stdout.write(
                    f"{report['problems']} Python + {report['sql_problems']} SQL problems: "
                    f"{report['reference_accepted']} references accepted, "
                    f"{report['wrong_rejected']} wrong solutions rejected"
                )
            for miss in misses:
                self.stderr.write(miss)
            total = report["problems"] + report["sql_problems"]
            if misses or report["reference_accepted"] != total or report["wrong_rejected"] != total:
                raise SystemExit(1)
            return
        if not slug or not file:
            raise CommandError("usage: judge SLUG FILE [--run] [--json] | judge --selfcheck")
        problem = bank.by_slug(slug)
        if problem is None:
            raise CommandError(f"no problem called {slug!r}")
        try:
            code = Path(file).read_text()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        verdict = judge(code=code, spec=problem.spec, submit=not run)
        if as_json:
            self.stdout.write(json.dumps(verdict.as_dict()))
        else:
            self.stdout.write(f"{verdict.verdict}: {verdict.message}")
            if verdict.failed:
                self.stdout.write(f"  example: {verdict.failed['call']}")
                self.stdout.write(f"  expected: {verdict.failed['expected']}")
                self.stdout.write(f"  actual:   {verdict.failed['actual']}")
            if verdict.error:
                self.stdout.write(verdict.error)
