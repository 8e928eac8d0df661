"""The show: the Qt application, the scaled stage with its footer, the window that turns keys,
taps and swipes into deck commands, overlays (help, black screen, overview) and start-up.

Built on ``szkiosk.panels``; the booth, talk and authoring packages build on it.
"""
