"""Inspection files on disk: opening, passphrases, session markers, handover media, fieldwork
files, identifying data and what a killed process left.
"""
