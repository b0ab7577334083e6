"""Questions asked of replayed timelines: differences between states, and how a what-if diverges."""
