package org.ctx4j.grpc;

import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import org.ctx4j.Context;

/**
 * Gives each server call the conversion of its grpc context, under a grpc key that {@link
 * GrpcBridge#currentContext()} reads. grpc cancels a call's context when the call ends (however it
 * ends), which ends the converted context and drops its listener: nothing outlives the call.
 */
final class ContextServerInterceptor implements ServerInterceptor {
  static final ContextServerInterceptor INSTANCE = new ContextServerInterceptor();

  /** The ctx4j context of the current call; an identity key no other code can reach. */
  static final io.grpc.Context.Key<Context> KEY = io.grpc.Context.key("org.ctx4j.grpc.Context");

  private ContextServerInterceptor() {}

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    io.grpc.Context callContext = io.grpc.Context.current();
    Context ctx = GrpcContextAdapter.create(Context.background(), callContext);
    return Contexts.interceptCall(callContext.withValue(KEY, ctx), call, headers, next);
  }
}
