package com.example.orders;

/** What the handler answers. */
public record HttpResponse(int status, String body) {
  static HttpResponse ok(String body) {
    return new HttpResponse(200, body);
  }

  static HttpResponse notFound(String what) {
    return new HttpResponse(404, what + " not found");
  }

  static HttpResponse gatewayTimeout() {
    return new HttpResponse(504, "the request ran out of time");
  }
}
