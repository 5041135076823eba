"""Ranking suggestions by fit: text vectors, the profile and score, and the fit bar.

Empty on purpose: ``readlist.core.rank.fit`` is imported at start-up and must not pull numpy in.
"""
