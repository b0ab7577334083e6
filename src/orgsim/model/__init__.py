"""The model: the event vocabulary, compact records, the manifest, governance rules and the frozen state."""
