package org.ctx4j.testdata;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One finding as a golden file lists it: {@code src/main/java/com/example/Foo.java:12: LostCancel}
 * (the path relative to the sample project, the line, the check name).
 */
public record Finding(String path, int line, String check) implements Comparable<Finding> {
  private static final Pattern LINE = Pattern.compile("^(\\S+\\.java):(\\d+):\\s*(\\w+)$");
  private static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::path)
          .thenComparingInt(Finding::line)
          .thenComparing(Finding::check);

  /** Parses {@code path:line: Check}; null when the text is not in that form. */
  public static Finding parse(String text) {
    Matcher m = LINE.matcher(text.strip());
    return m.matches() ? new Finding(m.group(1), Integer.parseInt(m.group(2)), m.group(3)) : null;
  }

  @Override
  public int compareTo(Finding other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return path + ":" + line + ": " + check;
  }
}
