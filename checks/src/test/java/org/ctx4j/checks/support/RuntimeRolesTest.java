package org.ctx4j.checks.support;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.file.JavacFileManager;
import com.sun.tools.javac.util.Names;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ctx4j.Context;
import org.ctx4j.checks.support.RuntimeRoles.Entry;
import org.ctx4j.checks.support.RuntimeRoles.Role;
import org.junit.jupiter.api.Test;

/**
 * {@link RuntimeRoles} against the runtime itself: every public method of every public class of
 * {@code org.ctx4j}, found by reflection in the jar or directory that holds {@link Context}, is
 * classified, and every classification names a method that exists and fits its role.
 */
final class RuntimeRolesTest {

  /** The methods every class has from Object; they are nobody's runtime API. */
  private static final Set<String> OBJECT_METHODS = Set.of("toString", "equals", "hashCode");

  @Test
  void everyPublicRuntimeMethodIsClassified() throws Exception {
    List<String> unclassified = new ArrayList<>();
    for (Method method : publicRuntimeMethods()) {
      if (RuntimeRoles.entry(method.getDeclaringClass().getCanonicalName(), method.getName())
          == null) {
        unclassified.add(method.toGenericString());
      }
    }
    assertWithMessage(
            "public runtime methods that RuntimeRoles does not classify (add each, with its roles"
                + " or none)")
        .that(unclassified)
        .isEmpty();
  }

  @Test
  void everyClassificationNamesAPublicRuntimeMethod() throws Exception {
    Set<String> existing = new HashSet<>();
    for (Method method : publicRuntimeMethods()) {
      existing.add(method.getDeclaringClass().getCanonicalName() + "." + method.getName());
    }
    for (Entry entry : RuntimeRoles.entries(null)) {
      assertWithMessage("classified but not a public runtime method")
          .that(existing)
          .contains(entry.owner() + "." + entry.name());
    }
  }

  @Test
  void rolesFitTheSignatures() throws Exception {
    for (Method method : publicRuntimeMethods()) {
      Entry entry =
          RuntimeRoles.entry(method.getDeclaringClass().getCanonicalName(), method.getName());
      String name = method.toGenericString();
      boolean returnsContext = Context.class.isAssignableFrom(method.getReturnType());
      if (entry.has(Role.DERIVES_CONTEXT)) {
        assertWithMessage("derives a context: %s", name).that(returnsContext).isTrue();
        assertWithMessage("the parent of %s is a context", name)
            .that(Context.class.isAssignableFrom(typeAt(method, entry.parent())))
            .isTrue();
      } else {
        assertWithMessage("a method that returns a context from a context: %s", name)
            .that(returnsContext && hasContextParameter(method))
            .isFalse();
      }
      if (entry.has(Role.ROOT)) {
        assertWithMessage("a root factory: %s", name)
            .that(returnsContext && method.getParameterCount() == 0)
            .isTrue();
      }
      if (entry.has(Role.TAKES_KEY)) {
        assertWithMessage("the key of %s", name)
            .that(typeAt(method, entry.key()))
            .isAnyOf(Object.class, org.ctx4j.ContextKey.class);
      } else {
        assertThat(entry.key()).isEqualTo(RuntimeRoles.ABSENT);
      }
      if (entry.has(Role.CANCEL_DUTY)) {
        for (String end : entry.endedBy()) {
          assertWithMessage("%s's result is ended by %s", name, end)
              .that(publicMethodNames(method.getReturnType()))
              .contains(end);
        }
      }
      if (entry.has(Role.RUNS_TASK)) {
        assertWithMessage("%s runs a task, so it takes one", name)
            .that(List.of(method.getParameterTypes()))
            .containsAnyOf(org.ctx4j.TaskGroup.Task.class, org.ctx4j.TaskGroup.ValueTask.class);
      } else {
        assertWithMessage("%s takes a task but is not said to run it", name)
            .that(List.of(method.getParameterTypes()))
            .containsNoneOf(org.ctx4j.TaskGroup.Task.class, org.ctx4j.TaskGroup.ValueTask.class);
      }
      if (entry.has(Role.BLOCKS)) {
        assertWithMessage("%s blocks, so it throws InterruptedException", name)
            .that(
                List.of(method.getExceptionTypes()).contains(InterruptedException.class)
                    || method.getName().equals("close"))
            .isTrue();
      }
    }
  }

  /** The owners whose methods users can override are exactly the runtime's open types. */
  @Test
  void openOwnersAreTheTypesUsersCanExtend() throws Exception {
    Set<String> open = new TreeSet<>();
    for (Method method : publicRuntimeMethods()) {
      Class<?> owner = method.getDeclaringClass();
      if (!Modifier.isFinal(owner.getModifiers()) && !owner.isSealed() && !owner.isEnum()) {
        open.add(owner.getCanonicalName());
      }
    }
    assertThat(RuntimeRoles.OPEN_OWNERS).containsExactlyElementsIn(open);
  }

  /** The name tests of ContextTypes answer exactly for Context's static methods of each role. */
  @Test
  void contextTypesNameTestsAgreeWithTheRoles() throws Exception {
    com.sun.tools.javac.util.Context javac = new com.sun.tools.javac.util.Context();
    JavacFileManager.preRegister(javac);
    VisitorState state = VisitorState.createForUtilityPurposes(javac);
    Names names = Names.instance(javac);
    for (Method method : Context.class.getDeclaredMethods()) {
      if (!Modifier.isStatic(method.getModifiers()) || !Modifier.isPublic(method.getModifiers())) {
        continue;
      }
      Entry entry = RuntimeRoles.entry(ContextTypes.CONTEXT, method.getName());
      var name = names.fromString(method.getName());
      assertWithMessage("ContextTypes.DERIVING_FACTORY_NAMES and %s", method.getName())
          .that(ContextTypes.DERIVING_FACTORY_NAMES.contains(name, state))
          .isEqualTo(entry.has(Role.DERIVES_CONTEXT));
      assertWithMessage("ContextTypes.CANCELLABLE_FACTORY_NAMES and %s", method.getName())
          .that(ContextTypes.CANCELLABLE_FACTORY_NAMES.contains(name, state))
          .isEqualTo(
              entry.has(Role.CANCEL_DUTY)
                  && org.ctx4j.CancellableContext.class.isAssignableFrom(method.getReturnType()));
      assertWithMessage("ContextTypes.ROOT_FACTORY_NAMES and %s", method.getName())
          .that(ContextTypes.ROOT_FACTORY_NAMES.contains(name, state))
          .isEqualTo(entry.has(Role.ROOT));
      assertWithMessage("ContextTypes.WITH_VALUE_NAME and %s", method.getName())
          .that(ContextTypes.WITH_VALUE_NAME.contains(name, state))
          .isEqualTo(entry.has(Role.TAKES_KEY));
      assertWithMessage("RuntimeRoles.names and %s", method.getName())
          .that(RuntimeRoles.names(Role.DERIVES_CONTEXT).contains(name, state))
          .isEqualTo(entry.has(Role.DERIVES_CONTEXT));
    }
  }

  private static Class<?> typeAt(Method method, int position) {
    return position == RuntimeRoles.RECEIVER
        ? method.getDeclaringClass()
        : method.getParameterTypes()[position];
  }

  private static boolean hasContextParameter(Method method) {
    return Stream.of(method.getParameterTypes()).anyMatch(Context.class::isAssignableFrom)
        || (!Modifier.isStatic(method.getModifiers())
            && Context.class.isAssignableFrom(method.getDeclaringClass()));
  }

  private static Set<String> publicMethodNames(Class<?> type) {
    Set<String> names = new TreeSet<>();
    for (Method m : type.getMethods()) {
      names.add(m.getName());
    }
    return names;
  }

  /**
   * Every public method declared by a public class or interface of the runtime (nested ones
   * included, when every class around them is public), except Object's and synthetic ones.
   */
  static List<Method> publicRuntimeMethods() throws IOException, URISyntaxException {
    List<Method> methods = new ArrayList<>();
    for (String className : runtimeClassNames()) {
      Class<?> type;
      try {
        type = Class.forName(className, false, Context.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
      if (!reachable(type)) {
        continue;
      }
      for (Method method : type.getDeclaredMethods()) {
        if (Modifier.isPublic(method.getModifiers())
            && !method.isSynthetic()
            && !method.isBridge()
            && !OBJECT_METHODS.contains(method.getName())) {
          methods.add(method);
        }
      }
    }
    assertWithMessage("runtime methods found").that(methods.size()).isGreaterThan(40);
    return methods;
  }

  private static boolean reachable(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The binary names of the classes of {@code org/ctx4j/} where {@link Context} was loaded from.
   */
  private static List<String> runtimeClassNames() throws IOException, URISyntaxException {
    Path location =
        Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> entries = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.list(location.resolve("org/ctx4j"))) {
        files.forEach(f -> entries.add("org/ctx4j/" + f.getFileName()));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        jar.stream().forEach(e -> entries.add(e.getName()));
      }
    }
    List<String> classes = new ArrayList<>();
    for (String entry : entries) {
      if (entry.startsWith("org/ctx4j/")
          && entry.endsWith(".class")
          && entry.indexOf('/', "org/ctx4j/".length()) < 0
          && !entry.endsWith("package-info.class")
          && !entry.endsWith("module-info.class")) {
        classes.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
      }
    }
    assertWithMessage("classes in %s", location).that(classes).isNotEmpty();
    return classes;
  }
}
