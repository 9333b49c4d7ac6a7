package org.ctx4j.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctx4j.CanceledException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.Done;
import org.ctx4j.testing.CountingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDBC bridge on an in-memory H2 database, with a query slow enough to stop. */
final class JdbcBridgeTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /** About 1000 s of work at a millisecond per row: it ends only if it is stopped. */
  private static final String SLOW_QUERY = "SELECT SUM(SLOW(X)) FROM SYSTEM_RANGE(1, 1000000)";

  private final Connection connection;

  JdbcBridgeTest() throws SQLException {
    connection = DriverManager.getConnection("jdbc:h2:mem:");
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE ALIAS SLOW FOR 'org.ctx4j.jdbc.SlowFunction.slow'");
      s.execute("CREATE TABLE USERS(ID BIGINT PRIMARY KEY, NAME VARCHAR(20))");
      s.execute("INSERT INTO USERS VALUES (1, 'ann'), (2, 'bob')");
    }
    SlowFunction.ROWS.set(0);
    SlowFunction.firstRow = new CountDownLatch(1);
  }

  @AfterEach
  void tearDown() throws SQLException {
    connection.close();
  }

  private static long sum(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery(SLOW_QUERY)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The query stopped: no row is evaluated any more, and the connection takes a new statement. */
  private void assertQueryStopped() throws Exception {
    long rows = SlowFunction.ROWS.get();
    assertTrue(rows > 0, "the slow query never ran");
    Thread.sleep(200); // a running query would evaluate more rows meanwhile
    assertEquals(rows, SlowFunction.ROWS.get(), "H2 still evaluates the query");
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM USERS")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  void runsUnderALiveContext() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT NAME FROM USERS WHERE ID = ?");
        CancellableContext ctx = Context.withTimeout(Context.background(), LIMIT)) {
      ps.setLong(1, 2);
      String name =
          JdbcBridge.execute(
              ctx,
              ps,
              s -> {
                assertTrue(s.getQueryTimeout() >= 1 && s.getQueryTimeout() <= 60);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? rs.getString(1) : null;
                }
              });
      assertEquals("bob", name);
      assertEquals(0, ps.getQueryTimeout(), "the previous timeout is restored");
    }
  }

  @Test
  void noDeadlineSetsNoTimeoutAndASmallerOwnOneStays() throws SQLException {
    try (Statement s = connection.createStatement()) {
      int seen = JdbcBridge.execute(Context.background(), s, st -> st.getQueryTimeout());
      assertEquals(0, seen);
      s.setQueryTimeout(2);
      try (CancellableContext ctx = Context.withTimeout(Context.background(), LIMIT)) {
        assertEquals(2, JdbcBridge.execute(ctx, s, Statement::getQueryTimeout));
      }
      try (CancellableContext ctx =
          Context.withTimeout(Context.background(), Duration.ofMillis(1500))) {
        assertEquals(2, JdbcBridge.execute(ctx, s, Statement::getQueryTimeout), "rounded up");
        assertEquals(2, s.getQueryTimeout());
      }
    }
  }

  @Test
  void queryTimeoutRoundsUpAndIsNeverZero() {
    assertEquals(OptionalInt.empty(), JdbcBridge.queryTimeoutSeconds(Context.background()));
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(2500))) {
      int s = JdbcBridge.queryTimeoutSeconds(ctx).orElseThrow();
      assertTrue(s >= 1 && s <= 3, Integer.toString(s));
    }
    try (CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ZERO)) {
      assertEquals(OptionalInt.of(1), JdbcBridge.queryTimeoutSeconds(ctx), "0 means no limit");
    }
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofDays(365 * 200))) {
      assertEquals(
          OptionalInt.of(Integer.MAX_VALUE), JdbcBridge.queryTimeoutSeconds(ctx), "clamped");
    }
  }

  @Test
  void cancelStopsTheQuery() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    Thread canceller =
        new Thread(
            () -> {
              try {
                if (SlowFunction.firstRow.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                  ctx.cancel();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    canceller.start();
    try (Statement s = connection.createStatement()) {
      SQLException e =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      SQLException.class, () -> JdbcBridge.execute(ctx, s, st -> sum(st))));
      assertFalse(e instanceof SQLTimeoutException);
      assertTrue(Context.isCanceled(e), "isCanceled on the thrown SQLException");
      assertFalse(Context.isDeadlineExceeded(e));
      assertSame(ctx.err(), e.getCause());
      assertEquals(1, e.getSuppressed().length, "the driver's exception is kept");
      assertSame(e.getSuppressed()[0], e.getNextException());
      assertEquals(JdbcBridge.QUERY_CANCELED, e.getSQLState()); // H2's own state for a cancel
    }
    canceller.join();
    assertQueryStopped();
  }

  @Test
  void deadlineStopsTheQuery() throws Exception {
    try (Statement s = connection.createStatement();
        CancellableContext ctx =
            Context.withTimeout(Context.background(), Duration.ofMillis(1200))) {
      SQLTimeoutException e =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      SQLTimeoutException.class, () -> JdbcBridge.execute(ctx, s, st -> sum(st))));
      assertTrue(Context.isDeadlineExceeded(e), "isDeadlineExceeded on the thrown exception");
      assertFalse(Context.isCanceled(e));
      assertInstanceOf(DeadlineExceededException.class, e.getCause());
      assertEquals(0, s.getQueryTimeout(), "restored");
    }
    assertQueryStopped();
  }

  @Test
  void endedContextRunsNothing() throws SQLException {
    CancellableContext canceled = Context.withCancel(Context.background());
    canceled.cancel();
    try (Statement s = connection.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  JdbcBridge.execute(
                      canceled,
                      s,
                      st -> {
                        throw new AssertionError("the work ran");
                      }));
      assertSame(canceled.err(), e.getCause());
      assertInstanceOf(CanceledException.class, e.getCause());
      assertEquals(0, s.getQueryTimeout());
    }
    try (Statement s = connection.createStatement();
        CancellableContext expired = Context.withTimeout(Context.background(), Duration.ZERO)) {
      SQLTimeoutException e =
          assertThrows(
              SQLTimeoutException.class, () -> JdbcBridge.execute(expired, s, st -> sum(st)));
      assertTrue(Context.isDeadlineExceeded(e));
    }
    assertEquals(0, SlowFunction.ROWS.get(), "a statement ran under an ended context");
  }

  @Test
  void contextEndingWhileBindingRunsNothing() throws SQLException {
    CancellableContext inner = Context.withCancel(Context.background());
    inner.cancel();
    // Reports itself live once (the first check), then done: as if it ended right after.
    AtomicInteger asked = new AtomicInteger();
    Context racing =
        new Context() {
          @Override
          public Optional<Instant> deadline() {
            return Optional.empty();
          }

          @Override
          public Done done() {
            return inner.done();
          }

          @Override
          public ContextDoneException err() {
            return asked.getAndIncrement() == 0 ? null : inner.err();
          }

          @Override
          public Object value(Object key) {
            return null;
          }
        };
    try (Statement s = connection.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  JdbcBridge.execute(
                      racing,
                      s,
                      st -> {
                        throw new AssertionError("the work ran");
                      }));
      assertTrue(Context.isCanceled(e));
      assertEquals(0, e.getSuppressed().length);
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM USERS")) {
        assertTrue(rs.next(), "the statement still runs afterwards");
      }
    }
  }

  @Test
  void otherDriverErrorsPassUnchanged() throws SQLException {
    try (Statement s = connection.createStatement();
        CancellableContext ctx = Context.withTimeout(Context.background(), LIMIT)) {
      SQLException driver = new SQLException("bad syntax", "42000");
      assertSame(
          driver,
          assertThrows(
              SQLException.class,
              () ->
                  JdbcBridge.execute(
                      ctx,
                      s,
                      st -> {
                        throw driver;
                      })));
      SQLException real =
          assertThrows(
              SQLException.class,
              () -> JdbcBridge.execute(ctx, s, st -> st.executeQuery("SELEC 1")));
      assertFalse(Context.findDoneError(real).isPresent());
    }
  }

  @Test
  void aLongLivedContextKeepsNoCallbackAndNoLateCancelHitsTheNextStatement() throws SQLException {
    CountingContext longLived = new CountingContext();
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT NAME FROM USERS WHERE ID = ?")) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ps.setLong(1, 1 + i % 2);
        names.add(
            JdbcBridge.execute(
                longLived,
                ps,
                s -> {
                  try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                  }
                }));
      }
      assertEquals(20, names.size());
      assertEquals(0, longLived.liveCallbacks(), "callbacks left on the long-lived context");
      longLived.cancel(); // after the statements: cancels nothing
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("ann", rs.getString(1));
      }
    }
  }

  @Test
  void nullArgumentsNamed() throws SQLException {
    try (Statement s = connection.createStatement()) {
      Context bg = Context.background();
      assertEquals(
          "ctx",
          assertThrows(
                  NullPointerException.class,
                  () -> JdbcBridge.execute(null, s, Statement::getQueryTimeout))
              .getMessage());
      assertEquals(
          "statement",
          assertThrows(
                  NullPointerException.class,
                  () -> JdbcBridge.execute(bg, (Statement) null, Statement::getQueryTimeout))
              .getMessage());
      assertEquals(
          "work",
          assertThrows(NullPointerException.class, () -> JdbcBridge.execute(bg, s, null))
              .getMessage());
      assertEquals(
          "ctx",
          assertThrows(NullPointerException.class, () -> JdbcBridge.queryTimeoutSeconds(null))
              .getMessage());
    }
  }
}
