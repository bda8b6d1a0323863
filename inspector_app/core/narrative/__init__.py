"""What the lead writes around the figures, stored as revisions that merge like answers: the
report's narrative parts and its practice examples.
"""
