"""Skills Practice: a mobile-first PWA for IOP patients and their therapists."""
