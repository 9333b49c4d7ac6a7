package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Name;
import org.ctx4j.checks.lostcancel.Leak.Resource;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;

/**
 * What each {@link Resource} is made by and ended by: the one place the analysis asks "does this
 * call create something to end?" and "does this method end it?". Everything else in the engine is
 * the same for a context, a task group and grpc's contexts.
 */
final class Resources {
  private Resources() {}

  /**
   * What {@code tree} creates, or null: cheap on the common "no" path (a name test before any
   * symbol). A factory call with a {@code null} literal among its first two arguments (the parent,
   * the duration or deadline, the executor) always throws {@code NullPointerException} (the
   * libraries reject bad input at the call), so it creates nothing to end: tests of that behaviour
   * are not leaks.
   */
  static Resource created(MethodInvocationTree tree, VisitorState state) {
    if (!ContextTypes.ENDED_RESOURCE_FACTORY_NAMES.contains(CheckSupport.calledName(tree), state)) {
      return null;
    }
    Resource resource;
    if (ContextTypes.CANCELLABLE_FACTORY.matches(tree, state)) {
      resource = Resource.CANCELLABLE_CONTEXT;
    } else if (ContextTypes.TASK_GROUP_FACTORY.matches(tree, state)) {
      resource = Resource.TASK_GROUP;
    } else if (ContextTypes.GRPC_CANCELLABLE_FACTORY.matches(tree, state)) {
      resource = Resource.GRPC_CANCELLABLE_CONTEXT;
    } else if (ContextTypes.GRPC_ATTACH.matches(tree, state)) {
      return Resource.GRPC_ATTACHED;
    } else {
      return null;
    }
    List<? extends ExpressionTree> arguments = tree.getArguments();
    for (int i = 0; i < Math.min(2, arguments.size()); i++) {
      if (CheckSupport.stripParenthesesAndCasts(arguments.get(i)).getKind()
          == Tree.Kind.NULL_LITERAL) {
        return null;
      }
    }
    return resource;
  }

  /** Whether calling {@code method} on a value of {@code resource} ends it. */
  static boolean endedBy(Resource resource, Name method) {
    return switch (resource) {
      case CANCELLABLE_CONTEXT -> method.contentEquals("cancel") || method.contentEquals("close");
      case TASK_GROUP -> method.contentEquals("await") || method.contentEquals("close");
      case GRPC_CANCELLABLE_CONTEXT ->
          method.contentEquals("cancel")
              || method.contentEquals("close")
              || method.contentEquals("detachAndCancel");
      case GRPC_ATTACHED -> false; // restored as an argument of detach, not as a receiver
    };
  }

  /** Whether calling {@code method} on a value that may be any of {@code held} ends it. */
  static boolean endedByAny(Set<Resource> held, Name method) {
    for (Resource resource : held) {
      if (endedBy(resource, method)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a call of {@code method} restores a context replaced by {@code attach()} when it is
   * passed as the first argument: grpc's {@code detach(previous)} and {@code
   * detachAndCancel(previous, cause)}.
   */
  static boolean restores(Name method) {
    return method.contentEquals("detach") || method.contentEquals("detachAndCancel");
  }
}
