"""Full-text search over the published posts (tantivy): the index's schema and analyzers, its
generations under the home, incremental builds from the warehouse, queries with snippets, and
saved searches evaluated after each publish. Pure code: no Dagster, no command line."""
