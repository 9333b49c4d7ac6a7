/** A modular application: ctx4j-runtime is the named module {@code org.ctx4j}. */
module com.example.greeter {
  requires org.ctx4j;
}
