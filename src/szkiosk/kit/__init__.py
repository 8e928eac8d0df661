"""The Qt drawing kit every panel and screen builds on: text that fits, cards, pills, tap
areas, the theme's colours and fonts, QR codes and the accessibility modes.

It knows no panel and no window: it imports only the pure layers (``szkiosk.content``).
"""
