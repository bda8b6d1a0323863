"""Storage: the SQLite file format, its connections, schema and migrations."""
