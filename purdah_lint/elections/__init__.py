"""Elections: the built-in UK calendar and its data, pre-election windows, and dates."""
