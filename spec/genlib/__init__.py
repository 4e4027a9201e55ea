"""Readers and writers of spec/nmtwin.toml; spec/gen.py is the command line."""
