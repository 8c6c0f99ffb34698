"""SELECTs built once from the models' metadata, and rows turned into instances.

Authentication runs on every request. Through the ORM, reading a token and its
user costs several times the SELECT itself: the queryset is cloned, compiled to
SQL and its results mapped anew each time.
Django has no prepared-query API, so `queries.py` writes its SELECTs once with
the column lists built here, and turns each row into instances the way the ORM
does it (the database's converters, then `Model.from_db`). Every concrete
column is read: `request.user` and `request.auth` are complete instances that
never load a field lazily.
"""

from functools import cache

from django.db import connections


class Columns:
    """The concrete columns of `model` in a SELECT on database `alias`."""

    def __init__(self, model, alias):
        connection = connections[alias]
        quote = connection.ops.quote_name
        self.model = model
        self.alias = alias
        self.table = quote(model._meta.db_table)
        fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in fields]
        self.sql = ", ".join(f"{self.table}.{quote(field.column)}" for field in fields)
        self.pk = f"{self.table}.{quote(model._meta.pk.column)}"
        self.converters = []
        for index, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if functions:
                self.converters.append((index, functions, column))

    def __len__(self):
        return len(self.attnames)

    def column(self, name):
        """The qualified, quoted column of field `name`."""
        quote = connections[self.alias].ops.quote_name
        return f"{self.table}.{quote(self.model._meta.get_field(name).column)}"

    def instance(self, values, connection):
        """A model instance from this SELECT's values, as the ORM would build it."""
        values = list(values)
        for index, functions, column in self.converters:
            for function in functions:
                values[index] = function(values[index], column, connection)
        return self.model.from_db(self.alias, self.attnames, values)


@cache
def columns(model, alias):
    return Columns(model, alias)
