"""PostgreSQL only: no person holds two overlapping active bookings (host or guest).

One row per participant with ``EXCLUDE USING gist (user_id WITH =,
tstzrange(starts_at, ends_at) WITH &&) WHERE active``. SQLite cannot express this;
there the booking service re-checks inside an IMMEDIATE transaction instead, so the
operations below do nothing on other databases and SQLite still migrates.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models
from django.db.models import Func

CONSTRAINT_NAME = "booking_participant_no_overlap"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def constraint() -> ExclusionConstraint:
    return ExclusionConstraint(
        name=CONSTRAINT_NAME,
        expressions=[
            ("user", RangeOperators.EQUAL),
            (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=models.Q(active=True),
    )


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_constraint(apps.get_model("booking", "Participant"), constraint())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_constraint(apps.get_model("booking", "Participant"), constraint())


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [
        BtreeGistExtension(),  # does nothing on databases other than PostgreSQL
        migrations.RunPython(add, remove),
    ]
