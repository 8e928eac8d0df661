"""szkiosk: kiosk presentations about Shenzhen's high-quality development.

Layers, data flowing one way: ``content`` (validated YAML) -> ``deck`` (where we are)
-> ``ui`` (window, stage, transitions) -> ``panels`` (drawing). ``content``, ``deck`` and
``geo`` are pure Python and never import Qt.
"""

__version__ = "0.1.0"
