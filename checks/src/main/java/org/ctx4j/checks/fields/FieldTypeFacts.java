package org.ctx4j.checks.fields;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Name;
import com.sun.tools.javac.util.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.ctx4j.checks.support.ContextTypes;

/**
 * For {@code ContextInField}, what the classes met in the field types of one compilation unit
 * answer, asked once per class symbol instead of once per field: is the class a context type, and
 * which of the containers whose type arguments are stored data (a {@code Collection}, a {@code
 * Map}, ...) does it extend. Both depend only on the class, not on its type arguments.
 *
 * <p>One instance serves one compilation unit of one compilation: the check makes a new one for the
 * next unit. It holds symbols only, never trees.
 */
final class FieldTypeFacts {
  private final Context compilation;
  private final JavaFileObject file;
  private final String[] containerNames;

  /** The qualified names of the containers, as names of this compilation; made on first use. */
  private Name[] containers;

  private final Map<ClassSymbol, Boolean> isContext = new HashMap<>();
  private final Map<ClassSymbol, List<Symbol>> containersOf = new HashMap<>();

  FieldTypeFacts(VisitorState state, JavaFileObject file, String[] containerNames) {
    this.compilation = state.context;
    this.file = file;
    this.containerNames = containerNames.clone();
  }

  /** Whether this instance answers for the compilation unit of {@code file} in this compilation. */
  boolean isFor(VisitorState state, JavaFileObject file) {
    return compilation == state.context && this.file == file;
  }

  /**
   * Whether {@code c} is a context type: {@link ContextTypes#isContext} of its type, which for a
   * class depends on the class alone (with any type arguments, and raw).
   */
  boolean isContextClass(ClassSymbol c, VisitorState state) {
    Boolean known = isContext.get(c);
    if (known == null) {
      known = ContextTypes.isContext(c.type, state);
      isContext.put(c, known);
    }
    return known;
  }

  /**
   * The containers that {@code c} is or extends, found among its supertypes by name: for those, and
   * only those, {@code Types.asSuper} of a type of class {@code c} is not null. No container is
   * looked up by name in the symbol table (a scan of every module, once per compilation unit).
   */
  List<Symbol> containersOf(ClassSymbol c, VisitorState state) {
    List<Symbol> known = containersOf.get(c);
    if (known == null) {
      known = new ArrayList<>(0);
      for (Type supertype : state.getTypes().closure(c.type)) {
        if (isContainer(supertype.tsym.getQualifiedName(), state)) {
          known.add(supertype.tsym);
        }
      }
      containersOf.put(c, known);
    }
    return known;
  }

  private boolean isContainer(Name name, VisitorState state) {
    if (containers == null) {
      Names names = state.getNames();
      containers = new Name[containerNames.length];
      for (int i = 0; i < containerNames.length; i++) {
        containers[i] = names.fromString(containerNames[i]);
      }
    }
    for (Name container : containers) {
      if (container == name) {
        return true;
      }
    }
    return false;
  }
}
