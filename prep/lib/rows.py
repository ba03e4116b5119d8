"""Model instances from the rows of hand-written SQL, as the ORM makes them.

For the few reads every page makes, where building the ORM's statement costs several times
running it (the signed-in user, the plan's items): the SQL names a model's columns with
``columns`` and the row becomes an instance with ``instance``, each value through the same
converters the ORM applies (JSON; dates, datetimes and booleans on SQLite), then
``Model.from_db``, so the instance is the one a queryset would have given. Each such read has
an equivalence test against the ORM statement it stands for.
"""

from __future__ import annotations

from functools import cache


@cache
def _fields(model, alias: str) -> tuple[list[tuple], list[str]]:
    """The model's concrete fields with their columns under ``alias``, and their attnames."""
    fields = model._meta.concrete_fields
    return [(f, f.get_col(alias)) for f in fields], [f.attname for f in fields]


def columns(model, alias: str, quote_name) -> str:
    """The select list of all the model's concrete columns, in ``instance``'s order."""
    return ", ".join(f"{alias}.{quote_name(f.column)}" for f in model._meta.concrete_fields)


def width(model) -> int:
    """How many values of a row ``columns`` selects."""
    return len(model._meta.concrete_fields)


def instance(model, alias: str, connection, values):
    """The model instance whose ``columns`` are ``values`` (a row's slice)."""
    fields, attnames = _fields(model, alias)
    converted = []
    for (f, col), value in zip(fields, values, strict=True):
        for convert in connection.ops.get_db_converters(col) + f.get_db_converters(connection):
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, attnames, converted)
