package io.quicksilver.bus;

import io.quicksilver.mercure.Update;

/**
 * Published on {@link Addresses#UPDATES}: a stored update and the store epoch its sequence belongs to.
 *
 * @param epoch  the event store's epoch when the update was appended
 * @param update the update, with its sequence
 */
public record Dispatch(String epoch, Update update) {
}
