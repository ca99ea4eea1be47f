"""Public statistics (issue 6): the published figures, with disclosure control."""
