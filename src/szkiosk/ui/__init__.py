"""Qt layer: application set-up, the scaled stage, the window, transitions and theme."""
