"""pyqtgraph building blocks, created once and animated in place (``setData``/``setOpts``).

pyqtgraph is imported only here, so panels without charts start without paying for it.
"""
