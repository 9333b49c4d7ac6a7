/**
 * {@link java.net.http.HttpClient} under ctx4j contexts: {@link org.ctx4j.http.HttpBridge} sends a
 * request with the context's time left as its timeout and aborts the exchange when the context
 * ends, as Go's {@code http.NewRequestWithContext} does. Needs the JDK module {@code
 * java.net.http}, which {@code ctx4j-runtime} does not.
 */
package org.ctx4j.http;
