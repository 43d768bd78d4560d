project = "dated"
extensions = ["purdah_lint.sphinxext"]
purdah_config = "purdah.toml"
purdah_as_of = "2024-07-10"
