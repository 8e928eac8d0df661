"""Tools for curators writing a deck: panel skeletons (``szkiosk new``), the list of panel types
and their fields (``szkiosk types``) and live reload with errors on screen (``--watch``)."""
