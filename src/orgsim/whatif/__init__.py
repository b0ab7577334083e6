"""What-if worlds: scenarios, their interventions and reactive rules."""
