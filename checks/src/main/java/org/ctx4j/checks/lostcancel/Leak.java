package org.ctx4j.checks.lostcancel;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.VarSymbol;

/**
 * One leak {@link LostCancelAnalysis} finds: a cancellable context (or another {@link Resource})
 * stored in a local variable, and one path on which it is neither ended nor handed over before it
 * is lost.
 *
 * @param creation the factory call that created the context (where {@code LostCancel} reports)
 * @param resource what the call created, which says what ends it
 * @param variable the local variable that holds it
 * @param holder the declaration or assignment that stores it in {@code variable}
 * @param exit how the leaking path loses it
 * @param line the source line that path goes through last (0 when unknown)
 * @param otherLine for {@link Exit#END_AFTER_CATCH}, the line the caught exception came from;
 *     otherwise 0
 */
public record Leak(
    MethodInvocationTree creation,
    Resource resource,
    VarSymbol variable,
    Tree holder,
    Exit exit,
    int line,
    int otherLine) {

  /** What a creating call makes, and so what ends it on a path. */
  public enum Resource {
    /**
     * An {@code org.ctx4j.CancellableContext} from {@code Context.withCancel}, {@code withTimeout},
     * {@code withDeadline} and the {@code *Cause} variants: ended by {@code cancel()}, {@code
     * cancel(cause)} or {@code close()}.
     */
    CANCELLABLE_CONTEXT,
    /**
     * An {@code org.ctx4j.TaskGroup} from {@code TaskGroup.withContext} or {@code withLimit}: ended
     * by {@code await()} (which ends the group's context, as Go's {@code Wait}) or {@code close()}.
     */
    TASK_GROUP,
    /**
     * grpc's {@code io.grpc.Context.CancellableContext} from {@code withCancellation()}, {@code
     * withDeadline(...)} or {@code withDeadlineAfter(...)}: ended by {@code cancel(cause)}, {@code
     * close()} or {@code detachAndCancel(toAttach, cause)}.
     */
    GRPC_CANCELLABLE_CONTEXT,
    /**
     * The context a grpc {@code ctx.attach()} replaced as the current one (its result): restored by
     * {@code ctx.detach(previous)} or {@code ctx.detachAndCancel(previous, cause)}.
     */
    GRPC_ATTACHED
  }

  /** How a leaking path loses the context. */
  public enum Exit {
    /** By a {@code return} at {@link Leak#line}. */
    RETURN,
    /** By the end of the body, at {@link Leak#line}. */
    END,
    /** By a {@code return;} or the end of the body, after {@link Leak#line}. */
    LEFT_AFTER,
    /** The variable is assigned another value at {@link Leak#line}. */
    REASSIGNED,
    /** A loop declares the variable again, at {@link Leak#line}. */
    NEXT_ITERATION,
    /** By an exception thrown at {@link Leak#line} (with the exceptional-paths option). */
    EXCEPTION,
    /** By an {@code Error} that escapes the catch which cancels on the other exceptions. */
    ERROR_PAST_CATCH,
    /** By the end of the body, after catching an exception thrown at {@link Leak#otherLine}. */
    END_AFTER_CATCH
  }

  static Leak of(CreationSite site, Exit exit, int line, int otherLine) {
    return new Leak(
        site.call(), site.resource(), site.variable(), site.holder(), exit, line, otherLine);
  }
}
