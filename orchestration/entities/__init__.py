"""Countries and leaders named in posts: reviewed reference lists, columnar matching.

- reference.py: the reference data (pycountry + curated aliases, leaders.yaml), validated
- patterns.py, scan.py: the word, hashtag and flag patterns, found in one pass over the texts
- discovery.py: leaders found by title ("Foreign Minister of India X") who are not on the list
- match.py: posts -> country and leader mentions and diplomatic events (the stage's entry point,
  match_posts: scan_posts then finish_posts; match_entities for countries and leaders alone)
- build.py: the entity partitions of the normalized layer, one per new batch (consecutive new
  batches matched together: match.finish_batches)
"""
