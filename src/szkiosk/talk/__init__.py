"""Tools for a speaker: the presenter view and auto-advance, PNG shots and the PDF handout."""
