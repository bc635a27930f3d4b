package io.quicksilver.publish;

import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit without buffering more than the limit: a declared or actual size
 * over it fails with 413 at once, and the connection is closed after the answer (the rest of the body is
 * never read).
 */
final class BodyReader {

  private BodyReader() {
  }

  static Future<Buffer> read(HttpServerRequest request, long limit) {
    String declared = request.getHeader("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(ProtocolException.badRequest("malformed Content-Length"));
      }
      if (length > limit) {
        request.response().putHeader("Connection", "close");
        return Future.failedFuture(tooLarge(limit));
      }
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        request.response().putHeader("Connection", "close");
        promise.tryFail(tooLarge(limit));
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    request.resume();
    return promise.future();
  }

  private static ProtocolException tooLarge(long limit) {
    return new ProtocolException(413, "body larger than " + limit + " bytes");
  }
}
