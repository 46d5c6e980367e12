"""Claims made in the prose of notebook 04 (vanishing gradients), recomputed."""


def test_title_names_the_chain_rule(markdown_of, states):
    # Setup-level smoke claim; the full list follows as the notebook is audited.
    assert states(markdown_of("04_vanishing_gradients"), "chain rule")
