"""The cases of an inspection: the team, the sample in the master, allocation, answers and the read
models built on them.
"""
