"""From a trust's export to a sample: reading the table, mapping its headings and spellings,
importing rows, the long list and the stratified draw.
"""
