package org.ctx4j.checks.blocking;

import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.PerCompilation;

/**
 * The blocking I/O that ctx4j's bridges bind to a context, and whether a call already goes through
 * one. The bridges are matched by name ({@code org.ctx4j.grpc.GrpcBridge}), so the checks need
 * neither the bridges nor grpc to compile or run.
 *
 * <ul>
 *   <li>gRPC: a method declared by a generated blocking stub (a direct subclass of {@code
 *       io.grpc.stub.AbstractBlockingStub}), and {@code ClientCalls.blockingUnaryCall}. Through the
 *       bridge when the stub (or the channel of {@code blockingUnaryCall}) was made with a call of
 *       {@code GrpcBridge} ({@code GrpcBridge.withContext(ctx, stub)}, {@code
 *       withInterceptors(GrpcBridge.clientInterceptor(ctx))}), directly or through effectively
 *       final locals, final fields, locals whose every value is bound, and helper methods of the
 *       file that cannot be overridden and return only bound stubs, or when the method or lambda
 *       attaches a grpc context made by the bridge ({@code GrpcBridge.toGrpc(ctx).attach()}), which
 *       grpc's blocking calls observe. The same rule says when the future of a future stub's call
 *       ends with the context.
 *   <li>JDBC and {@code HttpClient.send}: the bridges ({@code JdbcBridge.execute}, {@code
 *       HttpBridge.send}) take the statement or client as an argument, so a call of {@code
 *       execute*} or {@code send} itself never goes through them; inside {@code JdbcBridge}'s
 *       callback ({@code s -> s.executeQuery()}) no context is in scope, so nothing is flagged.
 * </ul>
 */
final class BridgedCalls {
  static final String GRPC_BRIDGE = "org.ctx4j.grpc.GrpcBridge";

  // grpc's blocking stub class, by name: a type lookup of a class missing from the class path
  // (most builds have no grpc) costs a search of the whole class path, once per compilation.
  private static final Supplier<Name> ABSTRACT_BLOCKING_STUB =
      PerCompilation.name("io.grpc.stub.AbstractBlockingStub");

  private static final Supplier<Name> ABSTRACT_FUTURE_STUB =
      PerCompilation.name("io.grpc.stub.AbstractFutureStub");

  private static final Supplier<Name> ABSTRACT_ASYNC_STUB =
      PerCompilation.name("io.grpc.stub.AbstractAsyncStub");

  /** grpc's base of every stub, which declares the {@code with*} methods that copy a stub. */
  private static final String ABSTRACT_STUB = "io.grpc.stub.AbstractStub";

  // Looked up only once a gRPC stub call has been found, so grpc is on the class path.
  private static final Supplier<Type> STUB_TYPE = PerCompilation.type(ABSTRACT_STUB);
  private static final Supplier<Type> CHANNEL_TYPE = PerCompilation.type("io.grpc.Channel");

  /** How many variables deep a stub's or channel's origin is followed. */
  private static final int DEPTH = 4;

  private BridgedCalls() {}

  /**
   * The cheap test for a call of a name not in the check's list: grpc is on the classpath and the
   * called method is declared by a blocking stub.
   */
  static boolean mayBeGrpcStubCall(MethodInvocationTree tree, VisitorState state) {
    MethodSymbol method = ASTHelpers.getSymbol(tree);
    return method != null && isGrpcBlockingStubCall(method, state);
  }

  /** A method declared by a generated blocking stub (not one it inherits from grpc's classes). */
  static boolean isGrpcBlockingStubCall(MethodSymbol method, VisitorState state) {
    return isDeclaredByStub(method, ABSTRACT_BLOCKING_STUB.get(state));
  }

  /**
   * A method declared by a generated future stub (a direct subclass of {@code
   * io.grpc.stub.AbstractFutureStub}): it starts a call and returns its future.
   */
  static boolean isGrpcFutureStubCall(MethodSymbol method, VisitorState state) {
    return isDeclaredByStub(method, ABSTRACT_FUTURE_STUB.get(state));
  }

  private static boolean isDeclaredByStub(MethodSymbol method, Name stubBase) {
    if (method.isConstructor()
        || (method.flags() & Flags.STATIC) != 0
        || method.getSimpleName().contentEquals("build")
        || !(method.owner instanceof ClassSymbol owner)) {
      return false;
    }
    Type superclass = owner.getSuperclass();
    return superclass != null
        && superclass.tsym instanceof ClassSymbol parent
        && parent.getQualifiedName() == stubBase;
  }

  /**
   * Whether the gRPC call {@code tree}, inside {@code scope}, is bound to a context by a bridge.
   */
  static boolean goesThroughBridge(MethodInvocationTree tree, TreePath scope, VisitorState state) {
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver != null && mentionsGrpcBridge(receiver, state, 0)) {
      return true;
    }
    for (ExpressionTree argument : tree.getArguments()) {
      if (mentionsGrpcBridge(argument, state, 0)) {
        return true;
      }
    }
    return attachesBridgedGrpcContext(scope.getLeaf(), state);
  }

  /**
   * Whether {@code expression} calls a method of {@code GrpcBridge}, or a method of this file that
   * cannot be overridden and returns only such values, or reads an effectively final local or a
   * final field whose initializer does, or a local whose every value does (its initializer, and
   * each assignment either does or only copies the local's own stub with grpc's {@code with*}
   * methods).
   */
  private static boolean mentionsGrpcBridge(
      ExpressionTree expression, VisitorState state, int depth) {
    if (depth > DEPTH || expression == null) {
      return false;
    }
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return found[0] ? null : super.scan(tree, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        MethodSymbol method = ASTHelpers.getSymbol(call);
        if (method != null
            && (method.owner.getQualifiedName().contentEquals(GRPC_BRIDGE)
                || returnsOnlyBridged(method, state, depth))) {
          found[0] = true;
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        found[0] |= initializerMentionsBridge(identifier, state, depth);
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree select, Void unused) {
        found[0] |= initializerMentionsBridge(select, state, depth);
        return super.visitMemberSelect(select, null);
      }
    }.scan(expression, null);
    return found[0];
  }

  /**
   * {@code method} is declared in this compilation unit, cannot be overridden (private, static,
   * final, or of a final class) and each of its {@code return}s gives a value that mentions the
   * bridge: a helper such as {@code private Stub stub(Context ctx) { return
   * GrpcBridge.withContext(ctx, stub); }}.
   */
  private static boolean returnsOnlyBridged(MethodSymbol method, VisitorState state, int depth) {
    if (depth >= DEPTH
        || method.isConstructor()
        || !returnsStubOrChannel(method, state)
        || ((method.flags() & (Flags.PRIVATE | Flags.STATIC | Flags.FINAL)) == 0
            && (method.owner.flags() & Flags.FINAL) == 0)) {
      return false;
    }
    MethodTree methodTree = JavacTrees.instance(state.context).getTree(method);
    if (methodTree == null || methodTree.getBody() == null) {
      return false;
    }
    List<ExpressionTree> returned = new ArrayList<>();
    boolean[] unknown = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitReturn(ReturnTree tree, Void unused) {
        if (tree.getExpression() == null) {
          unknown[0] = true;
        } else {
          returned.add(tree.getExpression());
        }
        return null;
      }

      // A return inside a lambda or a class returns from that, not from the method.
      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        return null;
      }
    }.scan(methodTree.getBody(), null);
    return !unknown[0]
        && !returned.isEmpty()
        && returned.stream().allMatch(r -> mentionsGrpcBridge(r, state, depth + 1));
  }

  /** Whether {@code method} returns a grpc stub or channel, what the bridge binds. */
  private static boolean returnsStubOrChannel(MethodSymbol method, VisitorState state) {
    Type returned = method.getReturnType();
    if (returned == null || returned.isPrimitiveOrVoid()) {
      return false;
    }
    Type stub = STUB_TYPE.get(state);
    Type channel = CHANNEL_TYPE.get(state);
    return (stub != null && ASTHelpers.isSubtype(returned, stub, state))
        || (channel != null && ASTHelpers.isSubtype(returned, channel, state));
  }

  private static boolean initializerMentionsBridge(
      ExpressionTree variable, VisitorState state, int depth) {
    if (!(ASTHelpers.getSymbol(variable) instanceof VarSymbol symbol)) {
      return false;
    }
    if (!ASTHelpers.isConsideredFinal(symbol)) {
      return CheckSupport.isLocalVariable(symbol) && everyValueMentionsBridge(symbol, state, depth);
    }
    ExpressionTree initializer;
    if (symbol.getKind() == ElementKind.FIELD) {
      initializer = CheckSupport.fieldInitializer(symbol, state);
    } else if (CheckSupport.isLocalVariable(symbol)) {
      TreePath declaration =
          CheckSupport.findDeclaration(symbol, state.getPath().getCompilationUnit());
      initializer =
          declaration != null && declaration.getLeaf() instanceof VariableTree variableTree
              ? variableTree.getInitializer()
              : null;
    } else {
      return false;
    }
    return mentionsGrpcBridge(initializer, state, depth + 1);
  }

  /**
   * A local assigned more than once: its initializer mentions the bridge, and so does each value
   * assigned to it, or that value is the local's own stub copied with grpc's {@code with*} methods
   * ({@code stub = stub.withCompression("gzip")}), which keep the channel and call options the
   * bridge set. Where the assignments are does not matter: every value the local can hold is bound.
   */
  private static boolean everyValueMentionsBridge(VarSymbol local, VisitorState state, int depth) {
    TreePath declaration =
        CheckSupport.findDeclaration(local, state.getPath().getCompilationUnit());
    if (declaration == null
        || !(declaration.getLeaf() instanceof VariableTree variableTree)
        || !mentionsGrpcBridge(variableTree.getInitializer(), state, depth + 1)) {
      return false;
    }
    TreePath scope = CheckSupport.enclosingMethodOrLambda(declaration);
    if (scope == null) {
      return false;
    }
    boolean[] unbound = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return unbound[0] ? null : super.scan(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (ASTHelpers.getSymbol(assignment.getVariable()) == local
            && !copiesItself(assignment.getExpression(), local)
            && !mentionsGrpcBridge(assignment.getExpression(), state, depth + 1)) {
          unbound[0] = true;
          return null;
        }
        return super.visitAssignment(assignment, null);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree assignment, Void unused) {
        unbound[0] |= ASTHelpers.getSymbol(assignment.getVariable()) == local;
        return super.visitCompoundAssignment(assignment, null);
      }
    }.scan(scope.getLeaf(), null);
    return !unbound[0];
  }

  /**
   * {@code value} is {@code local.withX(...)...}: a chain of methods that grpc's {@code
   * AbstractStub} declares, called on {@code local} itself.
   */
  private static boolean copiesItself(ExpressionTree value, VarSymbol local) {
    ExpressionTree current = CheckSupport.stripParenthesesAndCasts(value);
    boolean copied = false;
    while (current instanceof MethodInvocationTree call) {
      MethodSymbol method = ASTHelpers.getSymbol(call);
      if (method == null || !method.owner.getQualifiedName().contentEquals(ABSTRACT_STUB)) {
        return false;
      }
      copied = true;
      current = CheckSupport.stripParenthesesAndCasts(ASTHelpers.getReceiver(call));
    }
    return copied && current instanceof IdentifierTree && ASTHelpers.getSymbol(current) == local;
  }

  /**
   * Whether {@code latch}, a {@code CountDownLatch} waited for at {@code state}'s path inside
   * {@code scope}, is released when the context ends: an effectively final local made with {@code
   * new CountDownLatch(1)}, counted down by a statement of both {@code onError} and {@code
   * onCompleted} of an anonymous {@code StreamObserver} that {@code scope} passed, before the wait,
   * to a call of a generated async stub going through the bridge. The bridge cancels the call when
   * the context ends, and grpc then calls {@code onError}: grpc-java's examples wait for a stream
   * this way.
   */
  static boolean latchReleasedByBridgedCall(
      ExpressionTree latch, TreePath scope, VisitorState state) {
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(latch);
    if (!(stripped instanceof IdentifierTree)
        || !(ASTHelpers.getSymbol(stripped) instanceof VarSymbol local)
        || !CheckSupport.isLocalVariable(local)
        || !ASTHelpers.isConsideredFinal(local)
        || !madeWithCountOne(local, state)) {
      return false;
    }
    int waitStart = ASTHelpers.getStartPosition(state.getPath().getLeaf());
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return found[0] ? null : super.scan(tree, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        MethodSymbol method = ASTHelpers.getSymbol(call);
        if (method != null
            && ASTHelpers.getStartPosition(call) < waitStart
            && isDeclaredByStub(method, ABSTRACT_ASYNC_STUB.get(state))
            && call.getArguments().stream().anyMatch(a -> releasesOnEnd(a, local))
            && goesThroughBridge(call, scope, state)) {
          found[0] = true;
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }

      // Code in a lambda or a class runs later, or not at all.
      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        return null;
      }
    }.scan(
        scope.getLeaf() instanceof MethodTree m
            ? m.getBody()
            : scope.getLeaf() instanceof LambdaExpressionTree lambda ? lambda.getBody() : null,
        null);
    return found[0];
  }

  private static boolean madeWithCountOne(VarSymbol local, VisitorState state) {
    TreePath declaration =
        CheckSupport.findDeclaration(local, state.getPath().getCompilationUnit());
    return declaration != null
        && declaration.getLeaf() instanceof VariableTree variable
        && CheckSupport.stripParenthesesAndCasts(variable.getInitializer())
            instanceof NewClassTree created
        && created.getClassBody() == null
        && created.getArguments().size() == 1
        && CheckSupport.stripParenthesesAndCasts(created.getArguments().get(0))
            instanceof LiteralTree literal
        && Integer.valueOf(1).equals(literal.getValue())
        && ASTHelpers.getSymbol(created.getIdentifier()) instanceof ClassSymbol type
        && type.getQualifiedName().contentEquals("java.util.concurrent.CountDownLatch");
  }

  /** {@code argument} is an anonymous class whose onError and onCompleted count down latch. */
  private static boolean releasesOnEnd(ExpressionTree argument, VarSymbol latch) {
    if (!(CheckSupport.stripParenthesesAndCasts(argument) instanceof NewClassTree created)
        || created.getClassBody() == null) {
      return false;
    }
    boolean onError = false;
    boolean onCompleted = false;
    for (Tree member : created.getClassBody().getMembers()) {
      if (member instanceof MethodTree method
          && method.getBody() != null
          && countsDown(method.getBody(), latch)) {
        onError |= method.getName().contentEquals("onError") && method.getParameters().size() == 1;
        onCompleted |=
            method.getName().contentEquals("onCompleted") && method.getParameters().isEmpty();
      }
    }
    return onError && onCompleted;
  }

  /** A statement of {@code body} itself is {@code latch.countDown();}. */
  private static boolean countsDown(BlockTree body, VarSymbol latch) {
    for (StatementTree statement : body.getStatements()) {
      if (!(statement instanceof ExpressionStatementTree expression)
          || !(expression.getExpression() instanceof MethodInvocationTree call)) {
        continue;
      }
      MethodSymbol method = ASTHelpers.getSymbol(call);
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (method != null
          && method.getSimpleName().contentEquals("countDown")
          && method.owner.getQualifiedName().contentEquals("java.util.concurrent.CountDownLatch")
          && receiver != null
          && ASTHelpers.getSymbol(receiver) == latch) {
        return true;
      }
    }
    return false;
  }

  /** {@code scope} calls {@code attach()} on a grpc context that the bridge made. */
  private static boolean attachesBridgedGrpcContext(Tree scope, VisitorState state) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        MethodSymbol method = ASTHelpers.getSymbol(call);
        if (!found[0]
            && method != null
            && method.getSimpleName().contentEquals("attach")
            && method.owner.getQualifiedName().toString().startsWith("io.grpc.Context")
            && mentionsGrpcBridge(ASTHelpers.getReceiver(call), state, 0)) {
          found[0] = true;
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }
    }.scan(scope, null);
    return found[0];
  }
}
