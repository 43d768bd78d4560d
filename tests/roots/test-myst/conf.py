project = "myst"
extensions = ["myst_parser", "purdah_lint.sphinxext"]
purdah_config = "purdah.toml"
