"""What every stage uses: durable file writes, crash failpoints, stage timing, the writer lock."""
