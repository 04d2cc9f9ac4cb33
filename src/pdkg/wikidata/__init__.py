"""Wikidata: reconciliation (``link``), mappings as SSSOM, enrichment, the P190 diff and write-back.

Nothing else in pdkg talks to Wikidata; the queries it sends are ``queries/wikidata/*.rq``.
"""
