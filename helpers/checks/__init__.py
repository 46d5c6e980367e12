"""Exercise checks, one module per notebook (``nb02`` for 02_sigmoid, ...).

Each check is made by :func:`helpers.checks.common.exercise`, so all speak the same way: "Not
attempted yet", "correct!", or a sentence naming what is off.
"""
