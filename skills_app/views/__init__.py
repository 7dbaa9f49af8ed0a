"""What screens show, as plain Python (no Reflex): rows, labels and form values
that state classes hold and pages bind."""
