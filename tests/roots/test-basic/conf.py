project = "basic"
extensions = ["purdah_lint.sphinxext"]
purdah_in_window = True
