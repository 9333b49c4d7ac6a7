package org.ctx4j.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.AbstractBlockingStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** A one-method test service without protoc: strings in, strings out. */
final class EchoService {
  private EchoService() {}

  static final MethodDescriptor.Marshaller<String> STRING =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", "Echo"))
          .setRequestMarshaller(STRING)
          .setResponseMarshaller(STRING)
          .build();

  /** The service, answering each request with {@code handler.apply(request)} (which may block). */
  static ServerServiceDefinition service(UnaryOperator<String> handler) {
    return ServerServiceDefinition.builder("test.Echo")
        .addMethod(
            ECHO,
            ServerCalls.asyncUnaryCall(
                (request, responseObserver) -> {
                  String reply;
                  try {
                    reply = handler.apply(request);
                  } catch (RuntimeException e) {
                    responseObserver.onError(e);
                    return;
                  }
                  responseObserver.onNext(reply);
                  responseObserver.onCompleted();
                }))
        .build();
  }

  /** A blocking stub, as protoc would generate it. */
  static final class EchoStub extends AbstractBlockingStub<EchoStub> {
    EchoStub(Channel channel) {
      super(channel, CallOptions.DEFAULT);
    }

    private EchoStub(Channel channel, CallOptions options) {
      super(channel, options);
    }

    @Override
    protected EchoStub build(Channel channel, CallOptions options) {
      return new EchoStub(channel, options);
    }

    String echo(String request) {
      return ClientCalls.blockingUnaryCall(getChannel(), ECHO, getCallOptions(), request);
    }
  }
}
