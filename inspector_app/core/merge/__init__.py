"""Merging fieldwork files into the master: checks on untrusted files, the union of revisions, the
undo copy, and the conflicts a lead settles.
"""
