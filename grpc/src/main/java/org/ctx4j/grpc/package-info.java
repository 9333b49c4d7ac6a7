/**
 * grpc-java under ctx4j contexts: {@link org.ctx4j.grpc.GrpcBridge} binds client calls to a context
 * (deadline and cancellation), gives server handlers one, and converts between {@link
 * org.ctx4j.Context} and {@link io.grpc.Context}, as grpc-go works with Go's {@code
 * context.Context}.
 */
package org.ctx4j.grpc;
