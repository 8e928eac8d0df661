"""Helpers shared by the booth-mode tests."""

from __future__ import annotations


def with_kiosk(deck, **settings):
    """The same deck with some ``kiosk:`` settings replaced."""
    model = deck.model
    deck.model = model.model_copy(update={"kiosk": model.kiosk.model_copy(update=settings)})
    return deck
