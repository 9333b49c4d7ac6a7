package com.example.orders;

import java.util.Map;

/** The part of an HTTP request the handler looks at. */
public record HttpRequest(String method, String path, Map<String, String> headers, String body) {
  public HttpRequest {
    headers = Map.copyOf(headers);
  }

  /** The value of a header, or the empty string when it is absent. */
  public String header(String name) {
    return headers.getOrDefault(name, "");
  }
}
