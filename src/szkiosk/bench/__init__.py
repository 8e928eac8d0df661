"""``szkiosk bench``: start-up, frame times, idle CPU, memory soak and content scale, each
against a bare baseline measured in the same run. Imported only by the bench command."""
