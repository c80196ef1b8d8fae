// Course overrides.
