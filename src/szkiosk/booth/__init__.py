"""Everything an unattended booth adds to the show: the idle/attract controller, staff PIN and
menu, screen care, hot reload, the warm-up self-test, analytics and the systemd service.

The booth's state (idle, countdown, attract, screen off, PIN lockout) is plain Python in
:mod:`szkiosk.booth_state`; the Qt code here feeds it events and draws what it says.
"""
