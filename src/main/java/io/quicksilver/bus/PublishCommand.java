package io.quicksilver.bus;

import io.quicksilver.mercure.PublishRequest;

/**
 * Sent on {@link Addresses#PUBLISH}: an update a publisher was authorized to publish. The reply is the
 * update's id once the event store holds it.
 *
 * @param request the validated publish fields
 */
public record PublishCommand(PublishRequest request) {
}
