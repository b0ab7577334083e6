"""The engine: the private working state, one transition per event kind, and checkpointed replay."""
