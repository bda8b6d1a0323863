"""The figures a report is built on, the one rounding rule, the house wording for shares, and
double-read agreement.
"""
