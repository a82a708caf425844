"""5W activities, needs and access restrictions."""
