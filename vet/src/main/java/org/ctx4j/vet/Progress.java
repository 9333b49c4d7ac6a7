package org.ctx4j.vet;

import java.io.PrintStream;

/**
 * A progress line on a terminal (the phase, files done / total), rewritten in place at most every
 * 200 ms and erased at the end. Used only when {@code System.console()} is not null, so output that
 * goes to a file or a pipe never holds it.
 */
final class Progress {
  private static final long INTERVAL_NANOS = 200_000_000L;

  private final PrintStream out;
  private long last = System.nanoTime();
  private int width;

  Progress(PrintStream out) {
    this.out = out;
  }

  void update(String phase, int done, int total) {
    long now = System.nanoTime();
    if (now - last < INTERVAL_NANOS) {
      return;
    }
    last = now;
    String line = "ctx4j-vet: " + phase + " " + done + "/" + total + " files";
    width = Math.max(width, line.length());
    out.print("\r" + line);
    out.flush();
  }

  void done() {
    if (width > 0) {
      out.print("\r" + " ".repeat(width) + "\r");
      out.flush();
      width = 0;
    }
  }
}
