package io.quicksilver.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client that parses the stream the way browsers do (WHATWG HTML, "Server-sent
 * events", the event stream interpretation): UTF-8, a leading BOM dropped, lines ended by CRLF, LF or CR,
 * {@code data} lines joined by LF, events without data not dispatched, {@code id} with NUL ignored.
 *
 * <p>Speaks HTTP/1.1 over a plain socket (chunked or close-delimited bodies) on its own reader thread;
 * tests await events with timeouts instead of sleeping.
 */
public final class SseClient implements AutoCloseable {

  /** One dispatched event. {@code type} is {@code message} when the stream named none. */
  public record Event(String type, String data, String lastEventId, Long retry) {
  }

  private final Socket socket;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final CountDownLatch headersRead = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile int status;
  private volatile Map<String, String> headers = Map.of();
  private volatile String errorBody = "";
  private volatile Throwable failure;
  private volatile String lastEventId = "";

  private SseClient(Socket socket) {
    this.socket = socket;
  }

  /** Opens a stream with extra request headers and waits for the response head. */
  public static SseClient open(URI uri, Map<String, String> requestHeaders) {
    return open("GET", uri, requestHeaders, null);
  }

  /**
   * Opens a stream with a method other than GET and a body (null: none; a form unless the headers name
   * another Content-Type), and waits for the response head.
   */
  public static SseClient open(String method, URI uri, Map<String, String> requestHeaders, String formBody) {
    try {
      Socket socket = new Socket(uri.getHost(), uri.getPort());
      socket.setSoTimeout(0);
      SseClient client = new SseClient(socket);
      StringBuilder req = new StringBuilder();
      String target = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
      byte[] body = formBody == null ? null : formBody.getBytes(StandardCharsets.UTF_8);
      req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
          .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
          .append("Accept: text/event-stream\r\n")
          .append("Cache-Control: no-store\r\n");
      requestHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        if (!requestHeaders.containsKey("Content-Type")) {
          req.append("Content-Type: application/x-www-form-urlencoded\r\n");
        }
        req.append("Content-Length: ").append(body.length).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      Thread reader = new Thread(client::readLoop, "sse-client");
      reader.setDaemon(true);
      reader.start();
      if (!client.headersRead.await(10, TimeUnit.SECONDS)) {
        client.close();
        throw new IllegalStateException("no response head within 10 s");
      }
      return client;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens a stream without extra headers. */
  public static SseClient open(URI uri) {
    return open(uri, Map.of());
  }

  public int status() {
    return status;
  }

  /** A response header (case-insensitive name), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body of a non-200 answer. */
  public String errorBody() {
    return errorBody;
  }

  /** The next event, or an AssertionError after the timeout. */
  public Event next(Duration timeout) {
    try {
      Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("no event within " + timeout + (ended.getCount() == 0 ? " (stream ended)" : ""));
      }
      return e;
    } catch (InterruptedException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The next event, or null after the timeout. */
  public Event poll(Duration timeout) {
    try {
      return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * The stream's last event ID as a browser keeps it (and sends back on reconnect): set by every {@code id}
   * field, also of an event without data, which is not dispatched.
   */
  public String lastEventId() {
    return lastEventId;
  }

  /** The next event within 5 seconds. */
  public Event next() {
    return next(Duration.ofSeconds(5));
  }

  /** The next {@code n} events. */
  public List<Event> next(int n, Duration timeout) {
    List<Event> out = new ArrayList<>(n);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < n; i++) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        Event e = events.poll(left, TimeUnit.MILLISECONDS);
        if (e == null) {
          throw new AssertionError("got " + i + " of " + n + " events within " + timeout);
        }
        out.add(e);
      } catch (InterruptedException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return out;
  }

  /** Events already received and not yet taken. */
  public List<Event> drain() {
    List<Event> out = new ArrayList<>();
    events.drainTo(out);
    return out;
  }

  /** Number of comment lines received (the opening comment and heartbeats). */
  public int comments() {
    return comments.get();
  }

  /** Waits for the server to end the stream. */
  public boolean awaitEnd(Duration timeout) {
    try {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean ended() {
    return ended.getCount() == 0;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private void readLoop() {
    try (InputStream raw = socket.getInputStream()) {
      InputStream in = new java.io.BufferedInputStream(raw);
      String statusLine = readHeaderLine(in);
      if (statusLine == null) {
        return;
      }
      status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> h = new LinkedHashMap<>();
      String line;
      while ((line = readHeaderLine(in)) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      headers = h;
      InputStream body = "chunked".equalsIgnoreCase(h.get("transfer-encoding")) ? new ChunkedInputStream(in)
          : h.containsKey("content-length") ? new LimitedInputStream(in, Long.parseLong(h.get("content-length"))) : in;
      if (status != 200) {
        errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        headersRead.countDown();
        return;
      }
      headersRead.countDown();
      parse(body);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      headersRead.countDown();
      ended.countDown();
    }
  }

  /** The event stream interpretation, over decoded lines. */
  private void parse(InputStream body) throws IOException {
    LineReader lines = new LineReader(body);
    StringBuilder data = new StringBuilder();
    String eventType = "";
    String lastEventId = "";
    Long retry = null;
    boolean first = true;
    String line;
    while ((line = lines.next()) != null) {
      if (first) {
        first = false;
        if (line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
      }
      if (line.isEmpty()) {
        this.lastEventId = lastEventId; // the end of an event sets it, dispatched or not
        if (data.length() == 0) {
          eventType = "";
          retry = null;
          continue;
        }
        String d = data.charAt(data.length() - 1) == '\n' ? data.substring(0, data.length() - 1) : data.toString();
        events.add(new Event(eventType.isEmpty() ? "message" : eventType, d, lastEventId, retry));
        data.setLength(0);
        eventType = "";
        retry = null;
        continue;
      }
      if (line.startsWith(":")) {
        comments.incrementAndGet();
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> eventType = value;
        case "data" -> data.append(value).append('\n');
        case "id" -> {
          if (value.indexOf('\0') < 0) {
            lastEventId = value;
          }
        }
        case "retry" -> {
          if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            retry = Long.parseLong(value);
          }
        }
        default -> {
        }
      }
    }
  }

  private static String readHeaderLine(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      buf.write(b);
    }
    return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
  }

  /** Splits decoded UTF-8 on CRLF, LF and CR. */
  private static final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private boolean skipLf;

    LineReader(InputStream in) {
      this.in = in;
    }

    String next() throws IOException {
      int b;
      while ((b = in.read()) >= 0) {
        if (skipLf) {
          skipLf = false;
          if (b == '\n') {
            continue;
          }
        }
        if (b == '\n' || b == '\r') {
          skipLf = b == '\r';
          String s = buf.toString(StandardCharsets.UTF_8);
          buf.reset();
          return s;
        }
        buf.write(b);
      }
      return null;
    }
  }

  private static final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = readHeaderLine(in);
        if (size != null && size.isEmpty()) {
          size = readHeaderLine(in);
        }
        if (size == null) {
          done = true;
          return -1;
        }
        int semi = size.indexOf(';');
        left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (left == 0) {
          done = true;
          return -1;
        }
      }
      int b = in.read();
      if (b < 0) {
        done = true;
        return -1;
      }
      left--;
      return b;
    }
  }

  private static final class LimitedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    LimitedInputStream(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }
  }
}
