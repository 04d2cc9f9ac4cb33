"""Saved queries and where they run: parsing and binding (``saved``, ``binding``), result tables
and terms (``table``), the in-process Oxigraph engine (``engine``), SPARQL endpoints (``http``,
``remote``, ``push``), names to IRIs (``resolve``), the table of disagreeing sources
(``disagreements``) and the target a command asks (``target``)."""
