"""Axon's standard cell and synapse types (PyNN names, the host library's models)."""
