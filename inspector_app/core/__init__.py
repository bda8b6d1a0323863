"""Pure-Python core: domain, storage, merge, scoring and report. Never imports Qt."""
