"""Keeping Python-subclassed scene items alive, and dropping them again.

PySide keeps the C++ item of a child alive through its parent, but not always the Python half
of a Python subclass: an item created and not stored loses its overridden methods. Every kit
item registers itself with :func:`retain`; a rebuild drops them with :func:`release_children`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsItem


def retain(parent: QGraphicsItem | None, child: QGraphicsItem) -> None:
    """Keep a Python reference to ``child`` on ``parent``.

    PySide does not always keep the Python half of a Python-subclassed item alive just
    because it has a parent item; without this, an item created and not stored vanishes.
    """
    if parent is not None:
        refs = getattr(parent, "_retained", None)
        if refs is None:
            refs = []
            parent._retained = refs  # type: ignore[attr-defined]
        refs.append(child)


def release_children(parent: QGraphicsItem) -> None:
    """Detach and drop every child item of ``parent`` (before rebuilding it)."""
    for child in parent.childItems():
        child.setParentItem(None)
        if child.scene() is not None:
            child.scene().removeItem(child)
    parent._retained = []  # type: ignore[attr-defined]
