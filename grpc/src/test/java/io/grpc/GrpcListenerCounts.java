package io.grpc;

/** Reads the number of cancellation listeners on a grpc context (package-private in grpc-api). */
public final class GrpcListenerCounts {
  private GrpcListenerCounts() {}

  public static int of(Context context) {
    return context.listenerCount();
  }
}
