"""Hotline reports hold what callers said about victims and suspects: like persons and dossiers
they are not in the configuration site, whose system administrators see no victim data
(core/access.py). Reports are read and triaged through the hotline pages and the API."""
