package org.ctx4j.jdbc;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.Done;

/**
 * Runs JDBC statements under a ctx4j context, as Go's {@code db.QueryContext(ctx, ...)} and {@code
 * db.ExecContext(ctx, ...)} do: the statement's query timeout becomes the context's time left
 * (rounded up to whole seconds), {@link Statement#cancel()} stops it as soon as the context ends,
 * and a statement under a context that has already ended is not executed.
 *
 * <pre>{@code
 * try (PreparedStatement ps = connection.prepareStatement("SELECT name FROM users WHERE id = ?")) {
 *   ps.setLong(1, id);
 *   String name = JdbcBridge.execute(ctx, ps, s -> {
 *     try (ResultSet rs = s.executeQuery()) {
 *       return rs.next() ? rs.getString(1) : null;
 *     }
 *   });
 * }
 * }</pre>
 *
 * <p>The work runs on the calling thread with the statement bound to the context; read the rows
 * inside it, so that the context also covers fetching them. One call form, no scope form: only a
 * call around the work can catch the driver's exception and give back one that says the context
 * ended.
 *
 * <p>Errors: when the context ends first (or its deadline is what timed the statement out), the
 * driver's exception is replaced by a {@link SQLTimeoutException} (deadline) or a {@link
 * SQLException} (cancellation) whose {@linkplain Throwable#getCause() cause} is the context's
 * error, so that {@link Context#isDeadlineExceeded(Throwable)} and {@link
 * Context#isCanceled(Throwable)} answer on it; the driver's exception is kept as a {@linkplain
 * Throwable#getSuppressed() suppressed} one and the {@linkplain SQLException#getNextException()
 * next exception}, and its SQL state and vendor code are carried over (SQL state {@code 57014},
 * "query canceled", when there is none). Everything else the driver throws passes unchanged.
 */
public final class JdbcBridge {
  private JdbcBridge() {}

  /** The SQL state used when there is no driver exception to take one from: query canceled. */
  static final String QUERY_CANCELED = "57014";

  /**
   * What runs with the statement bound to the context.
   *
   * @param <S> the statement type
   * @param <R> the result type
   */
  @FunctionalInterface
  public interface StatementWork<S extends Statement, R> {
    /**
     * Executes the statement and reads what it needs of the results.
     *
     * @param statement the bound statement
     * @return the result
     * @throws SQLException as the driver throws it
     */
    R run(S statement) throws SQLException;
  }

  /**
   * Runs {@code work} with {@code statement} bound to {@code ctx}: Go's {@code QueryContext} /
   * {@code ExecContext}. Before the work, the statement's query timeout is set to {@code ctx}'s
   * time left in whole seconds, rounded up and at least 1 (JDBC reads 0 as "no limit"), unless the
   * statement already has a smaller one or {@code ctx} has no deadline; a callback on {@code ctx}
   * calls {@link Statement#cancel()} if the context ends during the work. After the work, the
   * callback is removed (no cancel can arrive after this method returns, so it never hits the
   * statement's next execution; a cancel in progress is waited for) and the previous query timeout
   * is restored.
   *
   * @param ctx the context bounding the work
   * @param statement the statement the work executes
   * @param work the work: execute the statement and read its results
   * @param <S> the statement type ({@code Statement}, {@code PreparedStatement}, {@code
   *     CallableStatement})
   * @param <R> the result type
   * @return what {@code work} returns
   * @throws SQLException the driver's exception, or one caused by the context's error (see the
   *     class comment) if {@code ctx} ends first or had ended already (then the work does not run)
   * @throws NullPointerException if an argument is null
   */
  public static <S extends Statement, R> R execute(
      Context ctx, S statement, StatementWork<? super S, ? extends R> work) throws SQLException {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(work, "work");
    ContextDoneException err = ctx.err();
    if (err != null) {
      throw contextError(err, null);
    }
    OptionalInt seconds = queryTimeoutSeconds(ctx);
    int previous = statement.getQueryTimeout();
    boolean contextTimeout =
        seconds.isPresent() && (previous == 0 || seconds.getAsInt() < previous);
    if (contextTimeout) {
      statement.setQueryTimeout(seconds.getAsInt());
    }
    Canceller canceller = new Canceller(statement);
    Done.Registration registration = ctx.done().onDone(canceller);
    SQLException endedWhileBinding;
    try {
      ContextDoneException late = ctx.err();
      if (late == null) {
        return work.run(statement);
      }
      // Ended while the statement was being bound: a driver may ignore a cancel that arrives
      // before the statement runs, so it does not run at all.
      endedWhileBinding = contextError(late, null);
    } catch (SQLException e) {
      ContextDoneException ended = ctx.err();
      if (ended == null && contextTimeout && isTimeout(e)) {
        // The driver's timer for the context's deadline fired a moment before the context's own.
        ended = new DeadlineExceededException();
      }
      if (ended == null) {
        throw e;
      }
      SQLException replaced = contextError(ended, e);
      canceller.addFailureTo(replaced);
      throw replaced;
    } finally {
      canceller.finish();
      registration.remove();
      if (contextTimeout && !statement.isClosed()) {
        statement.setQueryTimeout(previous);
      }
    }
    throw endedWhileBinding;
  }

  /**
   * The query timeout {@link #execute} sets for {@code ctx}: its time left in whole seconds,
   * rounded up, at least 1 (0 means "no limit" to JDBC), at most {@link Integer#MAX_VALUE}; empty
   * when {@code ctx} has no deadline. For code that sets timeouts on statements it runs elsewhere
   * (a batch, a connection pool's validation query). Go has no counterpart: its drivers take the
   * context itself.
   *
   * @param ctx the context
   * @return the timeout in seconds, or empty if {@code ctx} has no deadline
   * @throws NullPointerException if {@code ctx} is null
   */
  public static OptionalInt queryTimeoutSeconds(Context ctx) {
    Objects.requireNonNull(ctx, "ctx");
    Optional<Duration> left = ctx.timeLeft();
    if (left.isEmpty()) {
      return OptionalInt.empty();
    }
    Duration d = left.get();
    long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return OptionalInt.of((int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds)));
  }

  /** Whether a driver exception reports a query timeout. */
  private static boolean isTimeout(SQLException e) {
    return e instanceof SQLTimeoutException || QUERY_CANCELED.equals(e.getSQLState());
  }

  /** The exception that says the context ended, with the driver's one (if any) attached. */
  static SQLException contextError(ContextDoneException err, SQLException driver) {
    String message =
        driver == null ? err.getMessage() : err.getMessage() + ": " + driver.getMessage();
    String state =
        driver == null || driver.getSQLState() == null ? QUERY_CANCELED : driver.getSQLState();
    int vendorCode = driver == null ? 0 : driver.getErrorCode();
    SQLException e =
        err instanceof DeadlineExceededException
            ? new SQLTimeoutException(message, state, vendorCode, err)
            : new SQLException(message, state, vendorCode, err);
    if (driver != null) {
      e.addSuppressed(driver);
      e.setNextException(driver);
    }
    return e;
  }

  /**
   * The context's callback: cancels the statement while the work runs, never after. The lock makes
   * {@link #finish()} wait for a cancel in progress (a driver's cancel may be a network round
   * trip), so that a late cancel cannot stop the statement's next execution. A {@code
   * ReentrantLock}, not a monitor, so that a virtual thread waiting here does not pin its carrier.
   */
  private static final class Canceller implements Runnable {
    private final Statement statement;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean running = true; // guarded by lock
    private Exception failure; // guarded by lock

    Canceller(Statement statement) {
      this.statement = statement;
    }

    @Override
    public void run() {
      lock.lock();
      try {
        if (running) {
          statement.cancel();
        }
      } catch (SQLException | RuntimeException e) {
        failure = e; // reported with the work's exception, never thrown on the cancelling thread
      } finally {
        lock.unlock();
      }
    }

    void finish() {
      lock.lock();
      try {
        running = false;
      } finally {
        lock.unlock();
      }
    }

    void addFailureTo(SQLException e) {
      lock.lock();
      try {
        if (failure != null) {
          e.addSuppressed(failure);
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
