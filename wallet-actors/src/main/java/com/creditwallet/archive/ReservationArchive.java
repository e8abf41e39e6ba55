package com.creditwallet.archive;

/**
 * Where finished reservations go once they leave the wallet actor's memory, so that retries,
 * reads and refunds still find them for the whole retention period without the wallet holding
 * them all. Payload-agnostic: the entity serializes its own record of a reservation and reads it
 * back; rows expire by themselves after the configured retention.
 */
public interface ReservationArchive {
  /** One archived reservation: its id and the entity's own serialized record of it. */
  record Row(String reservationId, byte[] payload) {}

  /** Upserts the rows (with the configured TTL); completes once all are written (durable as the journal is). Fails if any write fails. */
  java.util.concurrent.CompletionStage<org.apache.pekko.Done> store(String walletId, java.util.List<Row> rows);

  /**
   * Stores the rows {@code rows} makes, made only when the store starts: an archive may hold stores
   * back ({@link BoundedReservationArchive}), and rows made early would wait in memory meanwhile.
   */
  default java.util.concurrent.CompletionStage<org.apache.pekko.Done> storeInTurn(
      String walletId, java.util.function.Supplier<java.util.List<Row>> rows) {
    return store(walletId, rows.get());
  }

  /** The payloads of those of the ids that are archived (missing ids are simply absent from the map). One lookup round for the whole set, not one sequential read per id. */
  java.util.concurrent.CompletionStage<java.util.Map<String, byte[]>> find(String walletId, java.util.Collection<String> reservationIds);
}
