"""The database engine seam: opening a library, transactions, schema and migrations.

Everything that differs between database engines lives below this package; the
feature packages above ask it for connections and transactions.
"""

from store.db.sqlite import (
    FTS_TOKENIZER,
    SCHEMA_VERSION,
    UpgradeNotice,
    bulk_load,
    connect,
    connect_reader,
    default_db_path,
    schema_version,
    transaction,
)

__all__ = [
    "FTS_TOKENIZER",
    "SCHEMA_VERSION",
    "UpgradeNotice",
    "bulk_load",
    "connect",
    "connect_reader",
    "default_db_path",
    "schema_version",
    "transaction",
]
