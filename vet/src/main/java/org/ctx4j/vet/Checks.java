package org.ctx4j.vet;

import com.google.errorprone.BugCheckerInfo;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The ctx4j checks, found at run time the way Error Prone finds plugin checks: every {@link
 * BugChecker} service in the {@code org.ctx4j} packages. A check added to ctx4j-checks is picked up
 * without a change here; what vet knows about it comes from its {@code @BugPattern}.
 */
final class Checks {
  private static final String CTX4J_PACKAGES = "org.ctx4j.";

  private Checks() {}

  /** Every ctx4j check, by name, in name order. */
  static Map<String, BugCheckerInfo> all() {
    List<BugCheckerInfo> found = new ArrayList<>();
    for (ServiceLoader.Provider<BugChecker> provider :
        ServiceLoader.load(BugChecker.class, Checks.class.getClassLoader()).stream().toList()) {
      Class<? extends BugChecker> type = provider.type();
      if (type.getName().startsWith(CTX4J_PACKAGES)) {
        found.add(BugCheckerInfo.create(type));
      }
    }
    found.sort(Comparator.comparing(BugCheckerInfo::canonicalName));
    Map<String, BugCheckerInfo> byName = new LinkedHashMap<>();
    for (BugCheckerInfo info : found) {
      byName.put(info.canonicalName(), info);
    }
    return byName;
  }

  /**
   * The checks named in {@code names} (all when it is empty); an unknown name is a usage error that
   * lists the valid ones.
   */
  static Map<String, BugCheckerInfo> select(List<String> names) {
    Map<String, BugCheckerInfo> all = all();
    if (all.isEmpty()) {
      throw new IllegalStateException("no ctx4j check found on the class path of ctx4j-vet");
    }
    if (names.isEmpty()) {
      return all;
    }
    Map<String, BugCheckerInfo> selected = new LinkedHashMap<>();
    for (String name : names) {
      BugCheckerInfo info = all.get(name.strip());
      if (info == null) {
        throw new UsageException(
            "unknown check '"
                + name.strip()
                + "'; the checks are: "
                + String.join(", ", all.keySet()));
      }
      selected.put(info.canonicalName(), info);
    }
    return selected;
  }

  /**
   * The check's doc page as vet carries it (Markdown), or null when the jar has none for it (a
   * check added without a page).
   */
  static String docPage(String name) {
    try (InputStream in = Checks.class.getResourceAsStream("checks/" + name + ".md")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
