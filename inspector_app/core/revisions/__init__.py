"""The revision log: every edited value an immutable revision, keyed deterministically and ordered
by a hybrid logical clock.

Its tables (`revision`, `revision_parent`, `current_value`) are named in SQL only in this
package (core/storage declares them): the other areas call the functions here.
"""
