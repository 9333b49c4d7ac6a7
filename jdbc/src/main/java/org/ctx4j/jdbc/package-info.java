/**
 * JDBC statements under ctx4j contexts: {@link org.ctx4j.jdbc.JdbcBridge} runs a statement with the
 * context's time left as its query timeout and cancels it when the context ends, as Go's {@code
 * db.QueryContext} does. Needs the JDK module {@code java.sql}, which {@code ctx4j-runtime} does
 * not, and no driver.
 */
package org.ctx4j.jdbc;
