"""Running a check: settings, checking one document or file, the process pool, the engine, the report."""
