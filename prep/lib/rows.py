"""Model instances from the rows of hand-written SQL, as the ORM makes them.

For the few reads every page makes, where building the ORM's statement costs several times
running it (the signed-in user, the plan's items): the SQL names a model's columns with
``columns`` and the row becomes an instance with a ``reader``, each value through the same
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
    """The select list of all the model's concrete columns, in a ``reader``'s order."""
    return ", ".join(f"{alias}.{quote_name(f.column)}" for f in model._meta.concrete_fields)


def width(model) -> int:
    """How many values of a row ``columns`` selects."""
    return len(model._meta.concrete_fields)


def reader(model, alias: str, connection):
    """A function making the model's instance from the values of its ``columns`` (a row's
    slice), on ``connection`` (a database wrapper, not the ``django.db.connection`` proxy:
    the converters are looked up once here, not per row)."""
    fields, attnames = _fields(model, alias)
    converters = []
    for n, (f, col) in enumerate(fields):
        found = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
        if found:
            converters.append((n, found, col))

    def make(values):
        if converters:
            values = list(values)
            for n, found, col in converters:
                value = values[n]
                for convert in found:
                    value = convert(value, col, connection)
                values[n] = value
        return model.from_db(connection.alias, attnames, values)

    return make


def converter(field, alias: str, connection):
    """A function converting a value of ``field``'s column (under ``alias``) as the ORM
    does, for a statement that selects single columns rather than a whole model."""
    col = field.get_col(alias)
    found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)

    def convert(value):
        for step in found:
            value = step(value, col, connection)
        return value

    return convert
