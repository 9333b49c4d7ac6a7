package org.ctx4j.checks.contextkey;

import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class ContextKeyNotPrivateTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ContextKeyNotPrivate.class, getClass());
  private final FixRoundTrip refactoring =
      FixRoundTrip.newInstance(ContextKeyNotPrivate.class, getClass());

  @Test
  void privateKeysOfEveryKindAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.List;
            import java.util.Optional;
            import java.time.Instant;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              private static final Object KEY = new Object();
              static final Object PACKAGE_KEY = new Object();
              private final Object instanceKey = new Object();

              private static final class PrivateKey {}

              static final class PackageKey {}

              // a public type inside a package-private class is private to the package
              public static final class NestedPublicKey {}

              private record RecordKey(String name) {}

              private interface KeyMarker {}

              private enum Keys implements KeyMarker {
                A
              }

              void uses(Context ctx, Object passedOn, List<Object> keys) {
                Context.withValue(ctx, KEY, "v");
                ctx.value(KEY);
                withValue(ctx, PACKAGE_KEY, "v");
                ctx.value(instanceKey);
                ctx.value(this.instanceKey);
                ctx.value(new PrivateKey());
                ctx.value(new PackageKey());
                ctx.value(new NestedPublicKey());
                ctx.value(new RecordKey("x"));
                ctx.value(Keys.A);
                KeyMarker marker = Keys.A;
                ctx.value(marker);
                // an Object that only passes a key along: the key was chosen elsewhere
                ctx.value(passedOn);
                for (Object key : keys) {
                  ctx.value(key);
                }
                ctx.value(keys.get(0));
                Object local = Keys.A;
                ctx.value(local);
                ctx.value((Object) Keys.A);
                var inferred = new PrivateKey();
                Context.withValue(ctx, inferred, 1);
                // anonymous and local classes cannot be named anywhere else
                ctx.value(new Object() {});
                class LocalKey {}
                ctx.value(new LocalKey());
                ctx.value(new Object());
                // the value and the parent are not keys
                Context.withValue(ctx, KEY, "a string value");
                // a value(...) that is not Context.value(Object)
                new Lookup().value("x");
              }

              static final class Lookup {
                Object value(String name) {
                  return null;
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aCallExpectedToThrowIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.List;
            import java.util.Optional;
            import java.time.Instant;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              // a call that is expected to throw stores nothing
              void rejectsNullParent() {
                org.junit.jupiter.api.Assertions.assertThrows(
                    NullPointerException.class, () -> Context.withValue(null, "k", "v"));
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aKeyOfATypeVariableIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.List;
            import java.util.Optional;
            import java.time.Instant;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              <K> Object generic(Context ctx, K key) {
                return ctx.value(key);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aPrivateEnumKeyInADefaultMethodIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.List;
            import java.util.Optional;
            import java.time.Instant;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              private interface KeyMarker {}

              private enum Keys implements KeyMarker {
                A
              }

              interface Values {
                default Object user(Context ctx) {
                  return ctx.value(Keys.A);
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aPrivateKeyThroughAMethodReferenceIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.List;
            import java.util.Optional;
            import java.time.Instant;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              private static final Object KEY = new Object();

              Object scoped(Context ctx) {
                try (org.ctx4j.CancellableContext child = Context.withCancel(ctx)) {
                  java.util.function.Function<Object, Object> lookup = child::value;
                  return lookup.apply(KEY) == null ? child.value(KEY) : null;
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aUserContextForwardingTheCallersKeyIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.List;
            import java.util.Optional;
            import java.time.Instant;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              private static final Object KEY = new Object();

              // A user implementation of Context forwards the caller's key.
              static final class Wrapping implements Context {
                private final Context parent;

                Wrapping(Context parent) {
                  this.parent = parent;
                }

                @Override
                public Optional<Instant> deadline() {
                  return parent.deadline();
                }

                @Override
                public Done done() {
                  return parent.done();
                }

                @Override
                public ContextDoneException err() {
                  return parent.err();
                }

                @Override
                public Object value(Object key) {
                  return key == KEY ? "mine" : parent.value(key);
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aPrivateEnumKeyIsNotFlagged() {
    helper
        .addSourceLines(
            "RequestIds.java",
            """
            package demo;

            import org.ctx4j.Context;

            final class RequestIds {
              private enum Key {
                REQUEST_ID
              }

              static Context withRequestId(Context ctx, String id) {
                return Context.withValue(ctx, Key.REQUEST_ID, id);
              }

              static String requestId(Context ctx) {
                return ctx.value(Key.REQUEST_ID) instanceof String s ? s : "";
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void keysOtherPackagesCanObtainAreFlagged() {
    helper
        .addSourceLines(
            "PublicKeys.java",
            """
            package demo;

            public class PublicKeys {
              public enum Key {
                USER
              }

              protected static class Protected {}

              public interface Holder {
                enum Implicit {
                  A
                }
              }

              public static final Object SHARED = new Object();

              public static Object mutable = new Object();
            }
            """)
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.concurrent.TimeUnit;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              private static final String NAME = "user";
              private static final Object DISGUISED = "user";

              void uses(Context ctx, CancellableContext cancellable, String name, int n) {
                // BUG: Diagnostic contains: its type java.lang.String compares by value and is visible to them
                Context.withValue(ctx, "user", "alice");
                // BUG: Diagnostic contains: private enum Key { REQUEST_ID }
                ctx.value("user");
                // BUG: Diagnostic contains: java.lang.String
                cancellable.value(NAME);
                // BUG: Diagnostic contains: java.lang.String
                withValue(ctx, name, 1);
                // BUG: Diagnostic contains: java.lang.Integer
                ctx.value(42);
                // BUG: Diagnostic contains: java.lang.Long
                ctx.value(Long.valueOf(1));
                // BUG: Diagnostic contains: java.lang.Class
                ctx.value(Positives.class);
                // BUG: Diagnostic contains: java.util.concurrent.TimeUnit
                ctx.value(TimeUnit.SECONDS);
                // BUG: Diagnostic contains: can read this key from the constant USER of the enum demo.PublicKeys.Key
                ctx.value(PublicKeys.Key.USER);
                // a fresh object of a class with identity equals is equal only to itself
                ctx.value(new PublicKeys.Protected());
                // BUG: Diagnostic contains: demo.PublicKeys.Holder.Implicit
                ctx.value(PublicKeys.Holder.Implicit.A);
                // BUG: Diagnostic contains: can read this key from the field PublicKeys.SHARED
                ctx.value(PublicKeys.SHARED);
                // BUG: Diagnostic contains: java.lang.String
                ctx.value(DISGUISED);
                Object local = "user";
                // BUG: Diagnostic contains: java.lang.String
                ctx.value(local);
                var inferred = "user";
                // BUG: Diagnostic contains: java.lang.String
                ctx.value(inferred);
                // BUG: Diagnostic contains: java.lang.String
                ctx.value((Object) "user");
                String s =
                    switch (n) {
                      // BUG: Diagnostic contains: java.lang.String
                      case 1 -> (String) ctx.value("a");
                      default -> "";
                    };
                Supplier<Object> lambda =
                    // BUG: Diagnostic contains: java.lang.String
                    () -> ctx.value("b");
                Object anonymous =
                    new Object() {
                      Object get() {
                        // BUG: Diagnostic contains: java.lang.String
                        return ctx.value("c");
                      }

                      Object captured() {
                        // BUG: Diagnostic contains: java.lang.String
                        return ctx.value(local);
                      }
                    };
                // BUG: Diagnostic contains: can read this key from the field PublicKeys.mutable
                ctx.value(PublicKeys.mutable);
                try (CancellableContext child = Context.withCancel(ctx)) {
                  // BUG: Diagnostic contains: java.lang.String
                  child.value("d");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aStringKeyInADefaultMethodIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withValue;

            import java.util.concurrent.TimeUnit;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              interface Values {
                default Object user(Context ctx) {
                  // BUG: Diagnostic contains: java.lang.String
                  return ctx.value("user");
                }
              }
            }
            """)
        .doTest();
  }

  /** A typed key of a public class with identity equals, as grpc's Context.Key and its kin. */
  private static final String[] TYPED_KEY = {
    "TypedKey.java",
    """
    package demo;

    import org.ctx4j.Context;

    public final class TypedKey<T> {
      private final String name;

      public TypedKey(String name) {
        this.name = name;
      }

      @SuppressWarnings("unchecked")
      public T get(Context ctx) {
        return (T) ctx.value(this);
      }

      public Context with(Context ctx, T value) {
        return Context.withValue(ctx, this, value);
      }

      @Override
      public String toString() {
        return name;
      }
    }
    """
  };

  /**
   * The principle: no code outside the key's package can obtain an equal key. An identity key in a
   * private field, a fresh object and {@code this} pass, whatever the visibility of their class; a
   * field others can read, and a value class others can construct, do not.
   */
  @Test
  void keysOtherPackagesCannotObtain() {
    helper
        .addSourceLines(TYPED_KEY[0], TYPED_KEY[1])
        .addSourceLines(
            "ValueKeys.java",
            """
            package demo;

            import java.util.Objects;

            public final class ValueKeys {
              /** Compares by value, but only this package can make one. */
              public static final class Sealed {
                private final String name;

                private Sealed(String name) {
                  this.name = name;
                }

                static Sealed of(String name) {
                  return new Sealed(name);
                }

                @Override
                public boolean equals(Object o) {
                  return o instanceof Sealed s && s.name.equals(name);
                }

                @Override
                public int hashCode() {
                  return Objects.hash(name);
                }
              }

              /** Compares by value, and anyone can make one through the factory. */
              public static final class Open {
                private final String name;

                private Open(String name) {
                  this.name = name;
                }

                public static Open of(String name) {
                  return new Open(name);
                }

                @Override
                public boolean equals(Object o) {
                  return o instanceof Open other && other.name.equals(name);
                }

                @Override
                public int hashCode() {
                  return Objects.hash(name);
                }
              }

              /** Inherits a value equals from its public superclass. */
              public static class Named {
                protected Named() {}

                @Override
                public boolean equals(Object o) {
                  return o != null && o.getClass() == getClass();
                }

                @Override
                public int hashCode() {
                  return getClass().hashCode();
                }
              }

              public static final class Child extends Named {}

              public record PublicRecord(String name) {}

              record PackageRecord(String name) {}

              public enum PublicEnum {
                A
              }
            }
            """)
        .addSourceLines(
            "Uses.java",
            """
            package demo;

            import java.util.function.Supplier;
            import org.ctx4j.Context;

            public class Uses {
              private static final TypedKey<String> USER = new TypedKey<>("user");
              private static TypedKey<String> replaceable = new TypedKey<>("r");
              private final TypedKey<Long> perInstance = new TypedKey<>("i");
              static final TypedKey<String> PACKAGE = new TypedKey<>("p");
              private static final ValueKeys.Sealed SEALED = ValueKeys.Sealed.of("s");
              private static final ValueKeys.PackageRecord PACKAGE_RECORD =
                  new ValueKeys.PackageRecord("p");

              public static final TypedKey<String> READABLE = new TypedKey<>("x");
              protected static final TypedKey<String> INHERITED = new TypedKey<>("y");
              private static final ValueKeys.PublicRecord RECORD = new ValueKeys.PublicRecord("r");
              private static final ValueKeys.Open OPEN = ValueKeys.Open.of("o");
              private static final ValueKeys.Child CHILD = new ValueKeys.Child();
              private static final ValueKeys.PublicEnum ALIAS = ValueKeys.PublicEnum.A;
              private static final Object HIDDEN_STRING = "user";

              record Request(Context ctx) {
                String user() {
                  return (String) ctx.value(USER);
                }
              }

              interface Values {
                default Object user(Context ctx) {
                  return ctx.value(USER);
                }
              }

              void quiet(Context ctx, String name, TypedKey<String> passedOn, int n) {
                Context.withValue(ctx, USER, name);
                ctx.value(USER);
                ctx.value(replaceable);
                ctx.value(perInstance);
                ctx.value(this.perInstance);
                ctx.value(PACKAGE);
                ctx.value(SEALED);
                ctx.value(PACKAGE_RECORD);
                ctx.value(new TypedKey<String>("fresh"));
                TypedKey<String> local = new TypedKey<>("local");
                ctx.value(local);
                var inferred = USER;
                Context.withValue(ctx, inferred, name);
                // a forwarding helper passes on a key chosen elsewhere
                ctx.value(passedOn);
                ctx.value(lookupKey());
                Supplier<Object> lambda = () -> ctx.value(USER);
                Object anonymous =
                    new Object() {
                      Object get() {
                        return ctx.value(local);
                      }
                    };
                Object chosen =
                    switch (n) {
                      case 1 -> ctx.value(USER);
                      default -> ctx.value(PACKAGE);
                    };
              }

              static TypedKey<String> lookupKey() {
                return USER;
              }

              void flagged(Context ctx, String name) {
                // BUG: Diagnostic contains: can read this key from the field Uses.READABLE
                Context.withValue(ctx, READABLE, name);
                // BUG: Diagnostic contains: can read this key from the field Uses.INHERITED
                ctx.value(INHERITED);
                // BUG: Diagnostic contains: its type demo.ValueKeys.PublicRecord compares by value
                ctx.value(RECORD);
                // BUG: Diagnostic contains: its type demo.ValueKeys.PublicRecord compares by value
                ctx.value(new ValueKeys.PublicRecord("r"));
                // BUG: Diagnostic contains: its type demo.ValueKeys.Open compares by value
                ctx.value(OPEN);
                // BUG: Diagnostic contains: its type demo.ValueKeys.Child compares by value
                ctx.value(CHILD);
                // BUG: Diagnostic contains: the constant A of the enum demo.ValueKeys.PublicEnum
                ctx.value(ALIAS);
                // BUG: Diagnostic contains: its type java.lang.String compares by value
                ctx.value(HIDDEN_STRING);
                TypedKey<String> copied = READABLE;
                // BUG: Diagnostic contains: can read this key from the field Uses.READABLE
                ctx.value(copied);
              }
            }
            """)
        .doTest();
  }

  /**
   * A key field's initializer decides wherever the field is declared: in a class around the call,
   * in a sibling class, in a local or anonymous class, or in another file.
   */
  @Test
  void fieldInitializersAreFoundWhereverTheFieldIsDeclared() {
    helper
        .addSourceLines(
            "Keys.java",
            """
            package demo;

            class Keys {
              static final Object OTHER_FILE = "user";
              static final Object OTHER_FILE_IDENTITY = new Object();
            }
            """)
        .addSourceLines(
            "Outer.java",
            """
            package demo;

            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Outer {
              private static final Object OUTER_KEY = "user";
              private static final Object OUTER_IDENTITY = new Object();

              static final class Sibling {
                static final Object SIBLING_KEY = "user";
                private static final Object SIBLING_IDENTITY = new Object();
              }

              final class Inner {
                void uses(Context ctx) {
                  ctx.value(OUTER_IDENTITY);
                  ctx.value(Sibling.SIBLING_IDENTITY);
                  ctx.value(Keys.OTHER_FILE_IDENTITY);
                  // BUG: Diagnostic contains: java.lang.String
                  ctx.value(OUTER_KEY);
                  // BUG: Diagnostic contains: java.lang.String
                  ctx.value(Sibling.SIBLING_KEY);
                  // BUG: Diagnostic contains: java.lang.String
                  ctx.value(Keys.OTHER_FILE);
                  // BUG: Diagnostic contains: java.lang.String
                  Supplier<Object> lambda = () -> ctx.value(OUTER_KEY);
                }
              }

              void local(Context ctx) {
                class Local {
                  final Object key = "user";
                  final Object identity = new Object();
                }
                ctx.value(new Local().identity);
                // BUG: Diagnostic contains: java.lang.String
                ctx.value(new Local().key);
                Object anonymous =
                    new Object() {
                      final Object key = "user";
                      final Object identity = new Object();

                      Object get() {
                        ctx.value(identity);
                        // BUG: Diagnostic contains: java.lang.String
                        return ctx.value(key);
                      }
                    };
              }
            }
            """)
        .doTest();
  }

  /** The runtime's own typed key: public, identity equals, so where it is held decides. */
  @Test
  void runtimeContextKeyIsPrivateWhenHeldPrivately() {
    helper
        .addSourceLines(
            "pkg/Users.java",
            """
            package pkg;

            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            public final class Users {
              private static final ContextKey<String> USER = ContextKey.of("user", String.class);
              // BUG: Diagnostic contains: Users.TENANT
              public static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);
              private final ContextKey<Integer> attempt = ContextKey.of("attempt", Integer.class);

              Context quiet(Context ctx, String name) {
                Context withUser = Context.withValue(ctx, USER, name);
                Object read = withUser.value(USER);
                Context typed = USER.with(withUser, name);
                return Context.withValue(typed, attempt, 1);
              }

              // reported once, on the field, not on each use
              Context usesTheFlaggedField(Context ctx, String tenant) {
                return Context.withValue(TENANT.with(ctx, tenant), TENANT, tenant);
              }
            }
            """)
        .doTest();
  }

  /**
   * A ContextKey field is judged where it is declared: flagged when code in another package can
   * read it, with a twin for each shape that is not.
   */
  @Test
  void contextKeyFieldsOtherPackagesCanRead() {
    helper
        .addSourceLines(
            "pkg/Keys.java",
            """
            package pkg;

            import java.util.List;
            import org.ctx4j.ContextKey;

            public class Keys {
              // BUG: Diagnostic contains: make the field private and give other packages typed
              public static final ContextKey<String> USER = ContextKey.of("user", String.class);
              // BUG: Diagnostic contains: Keys.SESSION
              protected static final ContextKey<String> SESSION = ContextKey.of("s", String.class);
              // BUG: Diagnostic contains: Keys.mutable
              public ContextKey<String> mutable = ContextKey.of("m", String.class);
              private static final ContextKey<String> HIDDEN = ContextKey.of("h", String.class);
              static final ContextKey<String> PACKAGE = ContextKey.of("p", String.class);
              // not a ContextKey field: other checks' business
              public static final List<ContextKey<?>> ALL = List.of(HIDDEN, PACKAGE);

              public Keys() {}

              public static class Nested {
                // BUG: Diagnostic contains: Nested.TRACE
                public static final ContextKey<String> TRACE = ContextKey.of("t", String.class);
              }

              static class PackageNested {
                public static final ContextKey<String> QUIET = ContextKey.of("q", String.class);
              }

              private static class PrivateNested {
                public static final ContextKey<String> QUIET = ContextKey.of("q", String.class);
              }

              public static final class FinalNested {
                // protected in a final class: no other package can subclass it
                protected static final ContextKey<String> QUIET = ContextKey.of("q", String.class);
                // BUG: Diagnostic contains: FinalNested.LOUD
                public static final ContextKey<String> LOUD = ContextKey.of("l", String.class);
              }

              public static class OnlyPrivateConstructors {
                protected static final ContextKey<String> QUIET = ContextKey.of("q", String.class);

                private OnlyPrivateConstructors() {}
              }

              // a subclass in another package cannot call a package-private constructor
              public abstract static class OnlyPackagePrivateConstructors {
                protected static final ContextKey<String> QUIET = ContextKey.of("q", String.class);

                OnlyPackagePrivateConstructors() {}

                private OnlyPackagePrivateConstructors(int n) {}
              }

              public abstract static class AProtectedConstructor {
                // BUG: Diagnostic contains: AProtectedConstructor.LOUD
                protected static final ContextKey<String> LOUD = ContextKey.of("l", String.class);

                AProtectedConstructor() {}

                protected AProtectedConstructor(int n) {}
              }

              void local() {
                class Local {
                  public final ContextKey<String> quiet = ContextKey.of("q", String.class);
                }
                Object anonymous =
                    new Object() {
                      public final ContextKey<String> quiet = ContextKey.of("q", String.class);
                    };
                ContextKey<String> localKey = ContextKey.of("l", String.class);
              }
            }
            """)
        .addSourceLines(
            "pkg/Shapes.java",
            """
            package pkg;

            import org.ctx4j.ContextKey;

            public interface Shapes {
              // BUG: Diagnostic contains: Shapes.IMPLICIT
              ContextKey<String> IMPLICIT = ContextKey.of("i", String.class);

              enum PublicEnum {
                A;

                // BUG: Diagnostic contains: PublicEnum.IN_ENUM
                public static final ContextKey<String> IN_ENUM = ContextKey.of("e", String.class);
                // an enum cannot be subclassed elsewhere
                protected static final ContextKey<String> QUIET = ContextKey.of("q", String.class);
              }

              record PublicRecord(ContextKey<String> component) {
                // BUG: Diagnostic contains: PublicRecord.IN_RECORD
                public static final ContextKey<String> IN_RECORD = ContextKey.of("r", String.class);
              }
            }
            """)
        .addSourceLines(
            "pkg/Hidden.java",
            """
            package pkg;

            import org.ctx4j.ContextKey;

            interface Hidden {
              ContextKey<String> QUIET = ContextKey.of("q", String.class);
            }

            class PackagePrivate {
              public static final ContextKey<String> QUIET = ContextKey.of("q", String.class);
            }
            """)
        .addSourceLines(
            "pkg/Suppressed.java",
            """
            package pkg;

            import org.ctx4j.ContextKey;

            public final class Suppressed {
              @SuppressWarnings("ContextKeyNotPrivate")
              public static final ContextKey<String> SHARED = ContextKey.of("s", String.class);
            }
            """)
        .doTest();
  }

  @Test
  void replacementMakesNestedKeyTypePackagePrivate() {
    refactoring
        .addInputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              public enum Key {
                USER
              }

              static Context withUser(Context ctx, String user) {
                return Context.withValue(ctx, Key.USER, user);
              }
            }
            """)
        .addOutputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              enum Key {
                USER
              }

              static Context withUser(Context ctx, String user) {
                return Context.withValue(ctx, Key.USER, user);
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementMakesNestedValueKeyTypePackagePrivate() {
    refactoring
        .addInputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              @Deprecated
              public record Key(String name) {}

              private static final Key KEY = new Key("user");

              static Object user(Context ctx) {
                return ctx.value(KEY);
              }
            }
            """)
        .addOutputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              @Deprecated
              record Key(String name) {}

              private static final Key KEY = new Key("user");

              static Object user(Context ctx) {
                return ctx.value(KEY);
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementMakesPublicTypedKeyFieldPackagePrivate() {
    refactoring
        .addInputLines(
            "TypedKey.java",
            """
            package demo;

            public final class TypedKey<T> {
              private final String name;

              public TypedKey(String name) {
                this.name = name;
              }
            }
            """)
        .expectUnchanged()
        .addInputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              public static final TypedKey<String> USER = new TypedKey<>("user");

              static Context withUser(Context ctx, String user) {
                return Context.withValue(ctx, USER, user);
              }
            }
            """)
        .addOutputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              static final TypedKey<String> USER = new TypedKey<>("user");

              static Context withUser(Context ctx, String user) {
                return Context.withValue(ctx, USER, user);
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementMakesIdentityFieldPackagePrivate() {
    refactoring
        .addInputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              public static final Object USER = new Object();

              static Object user(Context ctx) {
                return ctx.value(USER);
              }
            }
            """)
        .addOutputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              static final Object USER = new Object();

              static Object user(Context ctx) {
                return ctx.value(USER);
              }
            }
            """)
        .doTest();
  }

  /**
   * Package-private, not private: another file of the same package that names the key type or the
   * identity field keeps compiling, and no other package can name either.
   */
  @Test
  void replacementKeepsSamePackageUsersCompiling() {
    refactoring
        .addInputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              protected enum Key {
                USER
              }

              public static final Object TRACE = new Object();

              static Context withUser(Context ctx, String user) {
                return Context.withValue(Context.withValue(ctx, Key.USER, user), TRACE, 1L);
              }
            }
            """)
        .addOutputLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Keys {
              enum Key {
                USER
              }

              static final Object TRACE = new Object();

              static Context withUser(Context ctx, String user) {
                return Context.withValue(Context.withValue(ctx, Key.USER, user), TRACE, 1L);
              }
            }
            """)
        .addInputLines(
            "SamePackage.java",
            """
            package demo;

            import org.ctx4j.Context;

            final class SamePackage {
              static Object user(Context ctx) {
                return ctx.value(Keys.Key.USER) != null ? ctx.value(Keys.TRACE) : null;
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  @Test
  void noFixForJdkTypesInterfaceMembersAndEnclosingClasses() {
    refactoring
        .addInputLines(
            "NoFix.java",
            """
            package demo;

            import org.ctx4j.Context;

            public class NoFix {
              public interface Keys {
                enum Key {
                  A
                }
              }

              Object uses(Context ctx) {
                ctx.value("user");
                ctx.value(Keys.Key.A);
                return ctx.value(this);
              }

              // the call sits inside the key type, whose other members may be used elsewhere
              // (the same goes for a public top-level key type)
              public enum Inside {
                INSTANCE;

                static Object read(Context ctx) {
                  return ctx.value(INSTANCE);
                }
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  @Test
  void severityAndSuppression() {
    helper
        .addSourceLines(
            "Suppressed.java",
            """
            package demo;

            import org.ctx4j.Context;

            @SuppressWarnings("ContextKeyNotPrivate")
            class Suppressed {
              Object run(Context ctx) {
                return ctx.value("user");
              }

              static class Nested {
                Context with(Context ctx) {
                  return Context.withValue(ctx, "user", 1);
                }
              }
            }
            """)
        .addSourceLines(
            "SuppressedMethod.java",
            """
            package demo;

            import org.ctx4j.Context;

            class SuppressedMethod {
              @SuppressWarnings("ContextKeyNotPrivate")
              Object run(Context ctx) {
                return ctx.value("user");
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * A grpc key read through a ctx4j context converted from grpc's is shared by grpc's API, even
   * from a public constant of another package; the same public constant used as the key of {@code
   * Context.withValue}, and a public identity key of another kind read by {@code value}, are
   * flagged.
   */
  @Test
  void aGrpcKeyReadThroughTheBridgeIsNotFlagged() {
    helper
        .addSourceLines(
            "auth/Constant.java",
            """
            package auth;

            public final class Constant {
              private Constant() {}

              public static final io.grpc.Context.Key<String> CLIENT_ID =
                  io.grpc.Context.key("clientId");
              public static final Object TOKEN = new Object();
            }
            """)
        .addSourceLines(
            "Service.java",
            """
            package demo;

            import auth.Constant;
            import org.ctx4j.Context;

            class Service {
              static String clientId(Context converted) {
                return (String) converted.value(Constant.CLIENT_ID);
              }

              static Object token(Context ctx) {
                // BUG: Diagnostic contains: Constant.TOKEN
                return ctx.value(Constant.TOKEN);
              }

              static Context withClientId(Context ctx, String id) {
                // BUG: Diagnostic contains: Constant.CLIENT_ID
                return Context.withValue(ctx, Constant.CLIENT_ID, id);
              }
            }
            """)
        .doTest();
  }
}
