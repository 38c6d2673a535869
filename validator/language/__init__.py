"""The policy language: a policy compiled into a frozen model, its rule tests, and version diffs."""
