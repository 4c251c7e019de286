"""recoupe's store: everything without a screen. It never imports Textual.

The parts, from the bottom up (nothing imports a part above it):

- ``models``, ``errors``, ``spans``, ``numbers``: dataclasses, typed errors, small helpers;
- ``db``: the database engine seam (connections, transactions, schema, migrations);
- ``library``: articles and how they are read from files; ``figures``: key figures;
- ``search``, ``compare``, ``annotations``: what users do with the library;
- ``ingest``: importing files into the library.
"""
