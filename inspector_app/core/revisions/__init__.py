"""The revision log: every edited value an immutable revision, keyed deterministically and ordered
by a hybrid logical clock.

Its tables (`revision`, `revision_parent`, `current_value`) are named in SQL only in this
package (core/storage declares them): the other areas call the functions here. The SQL is
declared in SQLAlchemy Core over the declared tables (tables.py). What a file open for editing
runs is compiled ahead into compiled.py (from sql.py), so opening a file never imports the
models; what a merge or an export runs is compiled when its module loads, or once per attached
file.
"""
