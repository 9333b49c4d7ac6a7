package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.tools.javac.code.Kinds.Kind;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Type.ArrayType;
import com.sun.tools.javac.code.Type.ForAll;
import com.sun.tools.javac.code.Type.IntersectionClassType;
import com.sun.tools.javac.code.Type.MethodType;
import com.sun.tools.javac.code.Type.UnionClassType;
import com.sun.tools.javac.code.Type.WildcardType;
import com.sun.tools.javac.code.TypeTag;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.JCTree.JCAnnotation;
import com.sun.tools.javac.tree.JCTree.JCBlock;
import com.sun.tools.javac.tree.JCTree.JCClassDecl;
import com.sun.tools.javac.tree.JCTree.JCExpressionStatement;
import com.sun.tools.javac.tree.JCTree.JCFieldAccess;
import com.sun.tools.javac.tree.JCTree.JCFunctionalExpression;
import com.sun.tools.javac.tree.JCTree.JCIdent;
import com.sun.tools.javac.tree.JCTree.JCImport;
import com.sun.tools.javac.tree.JCTree.JCLambda;
import com.sun.tools.javac.tree.JCTree.JCLiteral;
import com.sun.tools.javac.tree.JCTree.JCMemberReference;
import com.sun.tools.javac.tree.JCTree.JCMethodDecl;
import com.sun.tools.javac.tree.JCTree.JCMethodInvocation;
import com.sun.tools.javac.tree.JCTree.JCNewClass;
import com.sun.tools.javac.tree.JCTree.JCParens;
import com.sun.tools.javac.tree.JCTree.JCReturn;
import com.sun.tools.javac.tree.JCTree.JCVariableDecl;
import com.sun.tools.javac.tree.TreeScanner;
import com.sun.tools.javac.util.List;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether a source file mentions no context type at all: then no ctx4j check can have a finding in
 * it, and every check skips it after one question per file. Most files of a build that uses ctx4j
 * in a few places are such files, and a check's cheapest test, asked for every call of every file,
 * still costs more than this one walk.
 *
 * <p>A file mentions a context type when some tree of it has a type (or declares or calls a member
 * whose signature has a type) that is, contains or extends a type of ctx4j (a class of package
 * {@code org.ctx4j} or below: contexts, keys, task groups, the bridges) or grpc's {@code
 * io.grpc.Context} and its nested types. "Contains" looks into type arguments, array elements,
 * bounds and the parameter and return types of methods, so a file that only passes {@code null} to
 * a method declared elsewhere with a context parameter, or writes {@code () -> null} for a {@code
 * Supplier<Context>}, is not context-free. "Extends" follows the supertypes with their type
 * arguments: a field of a class declared elsewhere as {@code Contexts extends ArrayList<Context>}
 * holds contexts. A lambda or method reference also counts the method it implements, as its
 * functional interface declares it for this target: {@code () -> null} for an interface declared
 * elsewhere whose one method returns a context names no context in any tree of the file.
 *
 * <p>The walk asks symbols, not the types javac gave each expression: the declared type of each
 * member a file uses, the type of each of its declarations, each class its trees name. Every type
 * of an expression is made, by substitution, inference, capture or least upper bound, of those (and
 * of the supertypes of the classes in them, which "extends" follows), so a file where none of them
 * mentions a context has no expression of a type that does. A member's declared type is one object
 * shared by all its uses, where javac makes a new type for many an expression: asking it reads less
 * memory (a tenth of the walk's time, measured).
 *
 * <p>Invariants: the answer is conservative (a tree or symbol the walk cannot complete, or any
 * exception, answers "not context-free", and the checks then run as if there were no gate); the
 * walk stops at the first mention, so a file that uses contexts pays for its first lines only; what
 * a class symbol is worth is remembered per compilation; {@link ContextFileScan} asks once per file
 * and keeps the answer for all the checks.
 */
public final class ContextFreeFiles {
  private ContextFreeFiles() {}

  /** What each class symbol was found to be. */
  private static final class Memo {
    final Map<Symbol, Boolean> mentions = new IdentityHashMap<>();
  }

  private static final PerCompilation<Memo> MEMO = PerCompilation.of(state -> new Memo());

  /**
   * How deep the walk follows type arguments and bounds: {@code T extends Comparable<T>} would go
   * on for ever.
   */
  private static final int MAX_DEPTH = 8;

  /**
   * Whether {@code unit} mentions no context type (see the class comment): true also when the
   * compilation has neither ctx4j nor grpc's context on its class path.
   */
  public static boolean isContextFree(CompilationUnitTree unit, VisitorState state) {
    if (ContextTypes.noContextLibrary(state)) {
      return true;
    }
    try {
      return !(unit instanceof JCTree tree)
          || !new Walk(MEMO.get(state), state.getTypes()).mentions(tree);
    } catch (RuntimeException | StackOverflowError e) {
      return false; // a symbol that cannot be completed, a tree of an unknown shape
    }
  }

  /** One walk of a file, stopping at the first mention of a context type. */
  private static final class Walk extends TreeScanner {
    private final Memo memo;
    private final Types types;
    private boolean found;

    /**
     * The classes met since the walk began asking about its current class (see {@link
     * #classMentions}): those still being answered, and those answered "no" on the way.
     */
    private final Set<ClassSymbol> visited = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Whether an answer since the last reset relied on a class in {@link #visited}. */
    private boolean metVisited;

    Walk(Memo memo, Types types) {
      this.memo = memo;
      this.types = types;
    }

    boolean mentions(JCTree tree) {
      scan(tree);
      return found;
    }

    /**
     * Asks the symbol of each name and member select and the type of each class declared, and walks
     * on. The trees met most often (names, literals, member selects, calls, blocks, expression
     * statements, returns, parentheses: two of every three trees of a file) are walked here,
     * without the two virtual calls of {@code accept} and its {@code visit} method; the four met
     * most of all are told by their class, without the virtual {@code getTag}.
     */
    @Override
    public void scan(JCTree tree) {
      if (tree == null || found) {
        return;
      }
      if (tree instanceof JCIdent ident) {
        found = symbolMentions(tree, ident.sym);
        return;
      }
      if (tree instanceof JCFieldAccess select) {
        found = symbolMentions(tree, select.sym);
        scan(select.selected);
        return;
      }
      if (tree instanceof JCMethodInvocation call) {
        scan(call.typeargs);
        scan(call.meth);
        scan(call.args);
        return;
      }
      if (tree instanceof JCLiteral) {
        return;
      }
      switch (tree.getTag()) {
        case BLOCK:
          scan(((JCBlock) tree).stats);
          return;
        case EXEC:
          scan(((JCExpressionStatement) tree).expr);
          return;
        case RETURN:
          scan(((JCReturn) tree).expr);
          return;
        case PARENS:
          scan(((JCParens) tree).expr);
          return;
        case CLASSDEF:
          found = classMentions(((JCClassDecl) tree).sym); // its supertypes, see classMentions
          break;
        default:
          break;
      }
      if (!found) {
        tree.accept(this);
      }
    }

    /**
     * Whether the symbol a name or member select stands for mentions a context: a class (with its
     * supertypes), a type variable (its bounds), a field or method (its declared type). A variable
     * of a method is named by its declaration, which the walk asks. A name javac left without a
     * symbol, or with an erroneous one, is asked by its own type.
     */
    private boolean symbolMentions(JCTree tree, Symbol sym) {
      if (sym == null) {
        return mentions(tree.type, 0);
      }
      switch (sym.kind) {
        case TYP:
          return sym instanceof ClassSymbol ? classMentions(sym) : mentions(sym.type, 0);
        case VAR:
          return !isLocalVariable(sym) && mentions(sym.type, 0);
        case MTH:
          return mentions(sym.type, 0);
        case PCK:
          return false;
        default:
          return mentions(tree.type, 0);
      }
    }

    // What the walk need not look at: the type of an expression (see the class comment); the
    // types written in a declaration, which are in its symbol's type; imports and annotations,
    // which hold nothing a check could find.

    private static boolean isLocalVariable(Symbol sym) {
      return sym.owner != null && sym.owner.kind == Kind.MTH;
    }

    @Override
    public void visitImport(JCImport tree) {}

    @Override
    public void visitAnnotation(JCAnnotation tree) {}

    @Override
    public void visitClassDef(JCClassDecl tree) {
      if (tree.sym == null) {
        super.visitClassDef(tree);
        return;
      }
      // Its supertypes were asked with its type (see classMentions).
      scan(tree.typarams);
      scan(tree.defs);
    }

    @Override
    public void visitMethodDef(JCMethodDecl tree) {
      if (tree.sym == null) {
        super.visitMethodDef(tree);
        return;
      }
      if (mentions(tree.sym.type, 0)) {
        found = true;
        return;
      }
      scan(tree.typarams);
      scan(tree.recvparam);
      scan(tree.params);
      scan(tree.thrown);
      scan(tree.body);
    }

    @Override
    public void visitVarDef(JCVariableDecl tree) {
      if (tree.sym == null) {
        super.visitVarDef(tree);
        return;
      }
      if (mentions(tree.sym.type, 0)) {
        found = true; // also a lambda's parameter without a written type
        return;
      }
      scan(tree.init);
    }

    @Override
    public void visitNewClass(JCNewClass tree) {
      if (tree.constructor != null && mentions(tree.constructor.type, 0)) {
        found = true; // new Service(null) for a constructor that takes a context
        return;
      }
      super.visitNewClass(tree);
    }

    @Override
    public void visitLambda(JCLambda tree) {
      if (implementedMentions(tree)) {
        found = true; // () -> null for an interface whose method returns a context
        return;
      }
      super.visitLambda(tree);
    }

    @Override
    public void visitReference(JCMemberReference tree) {
      if ((tree.sym != null && mentions(tree.sym.type, 0)) || implementedMentions(tree)) {
        found = true;
        return;
      }
      super.visitReference(tree);
    }

    /**
     * Whether the method that a lambda or method reference implements mentions a context, with the
     * types its target gives it (a raw target gives the erased method). The parameters of a lambda
     * are trees of the file, but not the return type: nothing else of the file need name it.
     */
    private boolean implementedMentions(JCFunctionalExpression tree) {
      return tree.type != null && mentions(types.findDescriptorType(tree.type), 0);
    }

    private boolean mentions(Type type, int depth) {
      if (type == null || depth > MAX_DEPTH) {
        return false;
      }
      // The three kinds of type met most, tested by their exact class before the virtual getTag
      // and the switch on it (subclasses of ClassType, such as intersections, go to the switch).
      Class<?> exact = type.getClass();
      if (exact == Type.ClassType.class) {
        return classTypeMentions(type, depth);
      }
      if (exact == MethodType.class) {
        return methodMentions((MethodType) type, depth);
      }
      if (exact == Type.JCPrimitiveType.class) {
        return false;
      }
      switch (type.getTag()) {
        case CLASS:
          if (type instanceof IntersectionClassType intersection) {
            return anyMentions(intersection.getComponents(), depth);
          }
          if (type instanceof UnionClassType union) {
            for (Type alternative : union.getAlternativeTypes()) {
              if (mentions(alternative, depth)) {
                return true;
              }
            }
            return false;
          }
          return classTypeMentions(type, depth);
        case ARRAY:
          return mentions(((ArrayType) type).elemtype, depth + 1);
        case WILDCARD:
          return mentions(((WildcardType) type).type, depth + 1);
        case TYPEVAR:
          return mentions(type.getUpperBound(), depth + 1);
        case METHOD:
          return methodMentions((MethodType) type, depth);
        case FORALL:
          return mentions(((ForAll) type).qtype, depth);
        default:
          return false; // primitives, void, null, packages, errors
      }
    }

    /** A class type: its class, its type arguments, the class it is an inner class of. */
    private boolean classTypeMentions(Type type, int depth) {
      if (classMentions(type.tsym) || anyMentions(type.getTypeArguments(), depth + 1)) {
        return true;
      }
      Type outer = type.getEnclosingType(); // "none" but for an inner class of a generic one
      return outer.hasTag(TypeTag.CLASS) && mentions(outer, depth + 1);
    }

    private boolean methodMentions(MethodType method, int depth) {
      return mentions(method.restype, depth + 1) || anyMentions(method.argtypes, depth + 1);
    }

    private boolean anyMentions(List<? extends Type> types, int depth) {
      for (List<? extends Type> l = types; l.nonEmpty(); l = l.tail) {
        if (mentions(l.head, depth)) {
          return true;
        }
      }
      return false;
    }

    /** The class {@link #classMentions} last answered from the memo, and its answer. */
    private ClassSymbol lastClass;

    private boolean lastAnswer;

    /**
     * Whether the class is one of ctx4j or grpc's context, or a supertype of it mentions one: it
     * extends or implements a context, or a type argument of a supertype mentions one ({@code
     * Contexts extends ArrayList<Context>}), remembered per symbol. A class of the JDK does
     * neither.
     *
     * <p>Type arguments can lead back to a class whose answer is still being computed ({@code Node
     * implements Comparable<Node>}): such a class answers "no" for the moment, and every class
     * asked in between is visited once. An answer that relied on that is remembered only when it is
     * "yes", or when it is the answer for the class the question started from (its whole supertype
     * graph has been seen by then); another one is asked again next time.
     */
    private boolean classMentions(Symbol symbol) {
      if (!(symbol instanceof ClassSymbol clazz)) {
        return false;
      }
      if (clazz == lastClass) {
        return lastAnswer;
      }
      Boolean known = memo.mentions.get(clazz);
      if (known != null) {
        lastClass = clazz; // String, String, int, String: a class often comes twice in a row
        lastAnswer = known;
        return known;
      }
      boolean first = visited.isEmpty();
      if (!visited.add(clazz)) {
        metVisited = true;
        return false;
      }
      boolean metBefore = metVisited;
      metVisited = false;
      boolean answer =
          !ContextTypes.isJdkClass(clazz)
              && (isContextLibraryClass(clazz) || anySupertypeMentions(clazz));
      if (answer || !metVisited || first) {
        memo.mentions.put(clazz, answer);
      }
      metVisited |= metBefore;
      if (first) {
        visited.clear();
        metVisited = false;
      }
      return answer;
    }

    private boolean anySupertypeMentions(ClassSymbol clazz) {
      if (mentions(clazz.getSuperclass(), 0)) {
        return true;
      }
      for (Type type : clazz.getInterfaces()) {
        if (mentions(type, 0)) {
          return true;
        }
      }
      return false;
    }

    private static boolean isContextLibraryClass(ClassSymbol clazz) {
      String pkg = clazz.packge().getQualifiedName().toString();
      return pkg.equals("org.ctx4j")
          || pkg.startsWith("org.ctx4j.")
          || clazz.outermostClass().getQualifiedName().contentEquals(ContextTypes.GRPC_CONTEXT);
    }
  }
}
