# Filled by its feature; kept importable meanwhile.
