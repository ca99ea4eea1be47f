"""The writer exchange shares between the apps' casework kinds (casework.py: the import's
permission check and the organisation's references of the rows). The apps' own row writers are
declared with their kinds: cases/imports.py, referrals/imports.py, justice/imports/."""
