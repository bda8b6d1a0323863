"""The revision log: every edited value an immutable revision, keyed deterministically and ordered
by a hybrid logical clock.
"""
