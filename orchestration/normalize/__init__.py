"""Normalize: raw records -> the typed, cleaned normalized layer (columnar Polars).

- records.py: posts, headers, service messages and view observations (the stage's entry)
- text.py: clean text (entities, copy artifacts, invisible characters, whitespace)
- tokens.py: hashtags, mentions, links
- dates.py: the date a post names (its event date)
- language.py: the language of a post
- columns.py: running a pass only on the rows that need it
- store.py: the normalized layer on disk, a partition per batch
"""
