package io.quicksilver.bus;

import io.quicksilver.mercure.Update;

/**
 * Published on {@link Addresses#UPDATES}: an update the event store holds, with the sequence it gave it and the
 * store epoch that sequence belongs to. Every delivery instance of the cluster puts these back into store order
 * and dispatches them to its subscribers.
 *
 * @param epoch  the event store's epoch when the update was appended
 * @param update the update, with its sequence
 */
public record StoredUpdate(String epoch, Update update) {
}
