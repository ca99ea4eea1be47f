"""How the import kinds write their records (the kinds and columns: exchange/justice.py,
exchange/casework.py)."""
