package org.ctx4j.vet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipFile;
import org.ctx4j.Context;

/**
 * The ctx4j runtime, for the class path of the code vet checks: the checks recognise contexts by
 * their types, so those must resolve. The vet jar carries the ctx4j-runtime jar as it is (nested,
 * copied to a temporary file when needed) so that nothing else of vet's own class path (Error
 * Prone, Guava) leaks into the user's compilation.
 */
final class RuntimeJar {
  private static final String NESTED = "runtime/ctx4j-runtime.jar";
  private static final String CONTEXT_CLASS = Context.class.getName().replace('.', '/') + ".class";

  private RuntimeJar() {}

  /** Whether some entry of {@code classpath} already holds the ctx4j runtime. */
  static boolean onClasspath(List<Path> classpath) {
    for (Path entry : classpath) {
      if (Files.isDirectory(entry)) {
        if (Files.isRegularFile(entry.resolve(CONTEXT_CLASS))) {
          return true;
        }
      } else if (Files.isRegularFile(entry)) {
        try (ZipFile zip = new ZipFile(entry.toFile())) {
          if (zip.getEntry(CONTEXT_CLASS) != null) {
            return true;
          }
        } catch (IOException e) {
          // Not a jar: javac will say so if it matters.
        }
      }
    }
    return false;
  }

  /** A class path entry holding the ctx4j runtime (deleted when this JVM exits if temporary). */
  static Path locate() {
    try (InputStream nested = RuntimeJar.class.getResourceAsStream(NESTED)) {
      if (nested != null) {
        Path copy = Files.createTempFile("ctx4j-runtime", ".jar");
        copy.toFile().deleteOnExit();
        Files.copy(nested, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
      }
      // Not packaged (vet's own tests): the runtime is a class path entry of this JVM.
      return Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
