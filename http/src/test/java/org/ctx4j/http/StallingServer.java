package org.ctx4j.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 that answers, or stalls on purpose, and records what it sees
 * of each connection: the request arriving, and the client closing the connection while the server
 * stalls (its read hits end of stream or fails).
 */
final class StallingServer implements AutoCloseable {
  enum Mode {
    /** Answers 200 "hello" and closes. */
    ANSWER,
    /** Reads the request, sends nothing, waits for the client to go away. */
    STALL,
    /** Sends the headers and 10 of 100 body bytes, then waits for the client to go away. */
    STALL_BODY
  }

  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger closedByClient = new AtomicInteger();
  volatile CountDownLatch requestSeen = new CountDownLatch(1);
  volatile CountDownLatch clientGone = new CountDownLatch(1);
  volatile Mode mode = Mode.ANSWER;

  private final ServerSocket socket;
  private final Thread acceptor;

  StallingServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "stalling-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/x");
  }

  /** New latches for the next exchange. */
  void reset(Mode next) {
    mode = next;
    requestSeen = new CountDownLatch(1);
    clientGone = new CountDownLatch(1);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      open.incrementAndGet();
      Thread t = new Thread(() -> serve(s), "stalling-server-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s) {
    Mode m = mode;
    CountDownLatch seen = requestSeen;
    CountDownLatch gone = clientGone;
    try (s) {
      s.setSoTimeout(60_000); // bounds every wait below
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      readHead(in);
      seen.countDown();
      switch (m) {
        case ANSWER:
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        case STALL_BODY:
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        // fall through: wait for the client to go away
        case STALL:
          if (waitForClose(in)) {
            closedByClient.incrementAndGet();
            gone.countDown();
          }
          return;
      }
    } catch (IOException e) {
      // the client went away before the request was read
    } finally {
      open.decrementAndGet();
    }
  }

  /** Reads until the client closes (true) or the bounded wait ends (false). */
  private static boolean waitForClose(InputStream in) {
    try {
      while (in.read() != -1) {
        // discard anything more the client sends
      }
      return true; // end of stream: the client closed the connection
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by the client
    } catch (IOException e) {
      return false;
    }
  }

  private static void readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("closed before the end of the request head");
      }
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (b == '\r' ? 1 : 0);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
