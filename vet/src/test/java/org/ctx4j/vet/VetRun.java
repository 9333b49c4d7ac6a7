package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of ctx4j-vet, in this JVM or as {@code java -jar}: its status and what it printed. */
record VetRun(int status, String out, String err) {
  /** A finding line: {@code path:line:column: [Check] message}. */
  private static final Pattern FINDING =
      Pattern.compile("^(.+\\.java):(\\d+):(\\d+): \\[(\\w+)\\] .+$");

  /** A golden line: {@code path:line: Check}. */
  private static final Pattern GOLDEN = Pattern.compile("^(\\S+\\.java):(\\d+):\\s*(\\w+)$");

  /** The repository's root. */
  static Path root() {
    return Path.of(System.getProperty("ctx4j.root", "..")).toAbsolutePath().normalize();
  }

  /** Runs ctx4j-vet's main entry in this JVM. */
  static VetRun inProcess(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, UTF_8);
        PrintStream e = new PrintStream(err, true, UTF_8)) {
      status = Vet.run(o, e, false, args);
    }
    return new VetRun(status, out.toString(UTF_8), err.toString(UTF_8));
  }

  /**
   * The findings printed, as golden lines ({@code path:line: Check}) with paths relative to {@code
   * project}, sorted.
   */
  TreeSet<String> findings(Path project) {
    TreeSet<String> found = new TreeSet<>();
    for (String line : out.lines().toList()) {
      Matcher m = FINDING.matcher(line);
      if (m.matches()) {
        Path file = Path.of(m.group(1)).toAbsolutePath().normalize();
        String relative = project.relativize(file).toString().replace('\\', '/');
        found.add(relative + ":" + m.group(2) + ": " + m.group(4));
      }
    }
    return found;
  }

  /** The findings a golden file lists, in the same form as {@link #findings}. */
  static TreeSet<String> golden(Path file) throws java.io.IOException {
    TreeSet<String> expected = new TreeSet<>();
    for (String line : Files.readAllLines(file, UTF_8)) {
      Matcher m = GOLDEN.matcher(line.strip());
      if (m.matches()) {
        expected.add(m.group(1) + ":" + m.group(2) + ": " + m.group(3));
      }
    }
    return expected;
  }

  /** The last line printed to standard output (the summary). */
  String summary() {
    List<String> lines = new ArrayList<>(out.lines().toList());
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  @Override
  public String toString() {
    return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
  }
}
