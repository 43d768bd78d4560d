project = "noext"
purdah_in_window = True
