package io.quicksilver.http;

import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;

/**
 * Reads a request body up to a limit without buffering more than the limit: a declared or actual size
 * over it fails with 413 at once, and the connection is closed after the answer (the rest of the body is
 * never read). A client that sent {@code Expect: 100-continue} is told to go on once the declared size passed (and
 * whatever its route checks before reading the body: a publish's token); a body the connection cannot deliver (a
 * malformed chunk, the client gone) is the client's 400.
 */
public final class BodyReader {

  private BodyReader() {
  }

  /** The whole body, or a failed future: 413 past {@code limit}, 400 for a malformed {@code Content-Length}. */
  public static Future<Buffer> read(HttpServerRequest request, long limit) {
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
    if (request.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      request.response().writeContinue();
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
    request.exceptionHandler(e -> {
      request.response().putHeader("Connection", "close");
      promise.tryFail(ProtocolException.badRequest("the request body could not be read"));
    });
    request.endHandler(v -> {
      // the request outlives its body (its connection keeps it a while): its handlers must not keep the body too
      request.handler(null).exceptionHandler(null).endHandler(null);
      promise.tryComplete(body);
    });
    request.resume();
    return promise.future();
  }

  /**
   * The body as form fields: 415 unless it is {@code application/x-www-form-urlencoded}, 413 past
   * {@code maxFields} fields, 400 when malformed.
   */
  public static FormData form(HttpServerRequest request, Buffer body, int maxFields) {
    requireForm(request);
    return FormData.parse(body.getBytes(), maxFields);
  }

  /** @throws ProtocolException 415 unless the request's body is {@code application/x-www-form-urlencoded} */
  public static void requireForm(HttpServerRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded")) {
      throw new ProtocolException(415, "the body must be application/x-www-form-urlencoded");
    }
  }

  private static ProtocolException tooLarge(long limit) {
    return new ProtocolException(413, "body larger than " + limit + " bytes");
  }
}
