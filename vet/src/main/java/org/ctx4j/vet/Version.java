package org.ctx4j.vet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This build's version and the Error Prone it carries, from {@code vet.properties}. */
final class Version {
  static final String VET;
  static final String ERROR_PRONE;

  static {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("vet.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    VET = properties.getProperty("version", "unknown");
    ERROR_PRONE = properties.getProperty("errorprone", "unknown");
  }

  private Version() {}
}
