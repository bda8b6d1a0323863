"""Exports for analysts: the answers and the findings as spreadsheets (XLSX and CSV), with no
identifying data unless asked, and text a spreadsheet will never evaluate."""
