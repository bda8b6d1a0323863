"""The central store: every published inspection in one database, to compare an area with the
areas inspected to date.

One interface, two engines: a local SQLite file in the user's data folder (the default, no
set-up) or an office PostgreSQL server (`postgresql+psycopg://...`). The store has its own
schema and its own migrations, apart from the inspection file's. Only anonymised data goes in:
no CRN, no name, no evidence note.
"""
