"""What people read: text tables, the Gantt view model, the HTML report and the static plot."""
