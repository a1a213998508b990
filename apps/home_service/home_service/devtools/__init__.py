"""Developer tools that ship with the app (no test code): `bench hs-pay-flow` and the synthetic
records it, the benchmarks and the tests make (records.py)."""
