"""Exercise checks: each turns a reader's answer into a clear verdict.

One module per notebook (``helpers.checks.nb02`` for 02_sigmoid, ...), all
built on :func:`helpers.checks.common.check_exercise`, so every check speaks the
same way: "Not attempted yet", "Correct!", or a sentence naming what is off.
"""
