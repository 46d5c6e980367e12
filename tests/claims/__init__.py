"""Claims made in the notebooks' prose, recomputed (issue 11)."""
