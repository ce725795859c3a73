"""Countries and leaders named in posts: reviewed reference lists, columnar matching.

- reference.py: the reference data (pycountry + curated aliases, leaders.yaml), validated
- patterns.py, scan.py: the word, hashtag and flag patterns, found in one pass over the texts
- discovery.py: leaders found by title ("Foreign Minister of India X") who are not on the list
- match.py: posts -> country and leader mentions (the stage's entry point, match_entities)
- build.py: the entity partitions of the normalized layer, one per new batch
"""
