package com.example.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.ctx4j.Context;

/** HTTP and JDBC calls that run on after the caller gave up: neither goes through a bridge. */
final class PriceLookup {
  private final HttpClient http = HttpClient.newHttpClient();

  String quote(Context ctx, String sku) throws IOException, InterruptedException {
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(URI.create("http://prices.example/" + sku)).build();
    return http.send(request, BodyHandlers.ofString()).body();
  }

  int stock(Context ctx, Connection db, String sku) throws SQLException {
    try (PreparedStatement st = db.prepareStatement("select count(*) from stock where sku = ?")) {
      st.setString(1, sku);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }
}
