"""Partitions: one per followed channel, so a channel can be scraped or backfilled alone."""

import dagster as dg

CHANNEL_PARTITIONS_NAME = "telegram_channels"
channel_partitions = dg.DynamicPartitionsDefinition(name=CHANNEL_PARTITIONS_NAME)
