"""Ingest: source files and scraped pages -> the immutable raw layer.

- sources.py: which files a run takes, and the hashes that name their batches
- parsing/: the three source formats (web previews, Desktop exports, text copies) -> records
- raw_store.py: the raw layer, a batch of Parquet files per ingested file
- inbox.py: the home's inbox folder
- scraping/: t.me/s web previews, fetched politely and crawled incrementally
"""
