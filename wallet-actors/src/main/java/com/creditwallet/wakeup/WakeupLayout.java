package com.creditwallet.wakeup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a wake-up row goes in {@code wallet_wakeups_by_time}: partition = (time bucket of the
 * deadline, shard of the wallet). Time buckets keep each partition small and let a poller read
 * only what is due; shards spread one bucket over many partitions (and pollers, one per shard)
 * so a minute in which many deadlines fall is not one hot partition. Rows are never deleted:
 * each expires by its TTL some time after its deadline ({@code keepAfterDue}), so polling never
 * scans tombstones. Plain arithmetic, unit-tested.
 *
 * @param bucket the length of a time bucket (whole milliseconds; e.g. one minute)
 * @param shards partitions (and pollers) per bucket
 * @param keepAfterDue how long a row stays after its deadline: the longest outage of the whole
 *     cluster after which every missed wake-up is still found
 * @param maxAhead deadlines further ahead are indexed at now + maxAhead instead (Cassandra's TTL
 *     is at most 20 years); the wallet then indexes its real deadline again when woken
 */
public record WakeupLayout(Duration bucket, int shards, Duration keepAfterDue, Duration maxAhead) {
  public WakeupLayout {
    if (bucket.toMillis() < 1000) throw new IllegalArgumentException("wake-up bucket must be at least 1s");
    if (shards < 1) throw new IllegalArgumentException("wake-up shards must be at least 1");
    if (keepAfterDue.plus(maxAhead).toSeconds() > 630_720_000L) {
      throw new IllegalArgumentException("keep-after-due + max-ahead must fit Cassandra's 20-year TTL");
    }
  }

  public int shardOf(String walletId) {
    return Math.floorMod(walletId.hashCode(), shards);
  }

  public Instant bucketOf(Instant at) {
    long size = bucket.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), size) * size);
  }

  /** The bucket starts whose rows can lie in (from, to], oldest first. */
  public List<Instant> buckets(Instant from, Instant to) {
    List<Instant> out = new ArrayList<>();
    for (Instant b = bucketOf(from); !b.isAfter(to); b = b.plus(bucket)) out.add(b);
    return out;
  }

  /** The instant actually indexed for a deadline at {@code at}, seen at {@code now}. */
  public Instant indexedAt(Instant at, Instant now) {
    Instant latest = now.plus(maxAhead);
    return at.isAfter(latest) ? latest : at;
  }

  /** The row's TTL in seconds: until its deadline, plus keepAfterDue. */
  public int ttlSeconds(Instant indexedAt, Instant now) {
    long untilDue = Math.max(0, Duration.between(now, indexedAt).toSeconds());
    return (int) (untilDue + keepAfterDue.toSeconds());
  }
}
