"""What the template's tests and benchmarks share: the backend registry, the named
variants, and the tools that run commands inside rendered projects.

`tests/` and `bench/` both import this package; neither imports the other.
"""
