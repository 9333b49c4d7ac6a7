package org.ctx4j;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A typed key for request-scoped values: {@code KEY.with(ctx, value)} derives a context that
 * carries the value, {@code KEY.get(ctx)} reads it back as a {@code T}, with no cast and no {@code
 * instanceof} at the call site.
 *
 * <pre>{@code
 * private static final ContextKey<String> REQUEST_ID = ContextKey.of("requestId", String.class);
 *
 * Context ctx = REQUEST_ID.with(parent, "r-17");
 * String id = REQUEST_ID.get(ctx); // "r-17"; null where no request id was set
 * }</pre>
 *
 * <p>Keys are compared by identity: this class does not override {@code equals} or {@code
 * hashCode}, so two keys with the same name are two different keys, and only code that holds the
 * key object can read or write its value. Keep it in a {@code private static final} field and hand
 * out typed accessors, as Go code does with an unexported key type and functions such as {@code
 * func WithUser(ctx context.Context, u *User) context.Context} and {@code func UserFrom(ctx
 * context.Context) (*User, bool)}. It plays the part of grpc-java's {@code io.grpc.Context.Key}:
 * {@link #of(String, Class)} is {@code Context.key(name)}, {@link #withDefault(String, Class,
 * Object)} is {@code Context.keyWithDefault(name, value)}, {@link #get(Context)} is {@code
 * key.get(context)} and {@link #with(Context, Object)} is {@code context.withValue(key, value)}.
 *
 * <p>The key carries the class of its values, so that a value of the wrong type cannot hide: the
 * typed {@link #with} rejects one (it can only get there through an unchecked cast), and when one
 * was stored through the untyped {@link Context#withValue(Context, Object, Object)}, {@link #get}
 * throws a {@link ClassCastException} that names the key, the type it found and the type it wants,
 * rather than returning it (which would fail later, far from the mistake, with no name) or treating
 * it as absent (which would hide the bug). For a generic {@code T} pass its raw class ({@code
 * List.class} for a {@code ContextKey<List<String>>}); the check then covers the raw type only, as
 * any cast to a generic type does. A primitive class stands for its wrapper ({@code int.class} for
 * {@code Integer}).
 *
 * <p>Instances are immutable and safe to share between threads. {@link #toString()} is the name, so
 * a context holding a value for this key prints as {@code ...withValue(requestId, r-17)}.
 *
 * @param <T> the type of the values stored under this key
 */
public final class ContextKey<T> {
  private final String name;
  private final Class<?> type;
  private final @Nullable T defaultValue;

  private ContextKey(String name, Class<?> type, @Nullable T defaultValue) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
  }

  /**
   * A new key, different from every other key (whatever its name). Its {@link #get(Context)}
   * returns null where no value is set. grpc's {@code Context.key(name)}.
   *
   * @param name the name {@link #toString()} shows (for debugging only: keys are compared by
   *     identity, never by name)
   * @param type the class of the values, checked on every {@link #get(Context)}; the raw class of a
   *     generic type
   * @param <T> the type of the values
   * @return the key
   * @throws NullPointerException if {@code name} or {@code type} is null
   */
  public static <T> ContextKey<T> of(String name, Class<? super T> type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    return new ContextKey<>(name, boxed(type), null);
  }

  /**
   * A new key whose {@link #get(Context)} returns {@code defaultValue} where no value (or a null
   * value) is set. grpc's {@code Context.keyWithDefault(name, defaultValue)}.
   *
   * @param name the name {@link #toString()} shows (for debugging only)
   * @param type the class of the values; the raw class of a generic type
   * @param defaultValue what {@link #get(Context)} returns when the context holds no value
   * @param <T> the type of the values
   * @return the key
   * @throws NullPointerException if an argument is null
   * @throws ClassCastException if {@code defaultValue} is not an instance of {@code type}
   */
  public static <T> ContextKey<T> withDefault(String name, Class<? super T> type, T defaultValue) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Class<?> boxed = boxed(type);
    if (!boxed.isInstance(defaultValue)) {
      throw new ClassCastException(
          "default value of context key "
              + name
              + " is a "
              + defaultValue.getClass().getName()
              + ", not a "
              + boxed.getName());
    }
    return new ContextKey<>(name, boxed, defaultValue);
  }

  /**
   * A child of {@code parent} that holds {@code value} for this key: {@code
   * Context.withValue(parent, this, value)}, typed. A null value hides a value an ancestor holds
   * for this key ({@link #get} then returns the default). Go's {@code context.WithValue(parent,
   * key, value)} inside a typed accessor; grpc's {@code context.withValue(key, value)}.
   *
   * @param parent the parent context
   * @param value the value, may be null
   * @return the new context
   * @throws NullPointerException if {@code parent} is null
   * @throws ClassCastException if {@code value} is not of this key's type (possible only through an
   *     unchecked cast or a raw type)
   */
  public Context with(Context parent, @Nullable T value) {
    Objects.requireNonNull(parent, "parent");
    if (value != null && !type.isInstance(value)) {
      throw wrongType(value);
    }
    return ContextFactories.withValue(parent, this, value);
  }

  /**
   * The value {@code ctx} (or an ancestor) holds for this key; the key's default value (null for a
   * key made by {@link #of}) where it holds none or null. Go's {@code v, ok := ctx.Value(key).(T)};
   * grpc's {@code key.get(context)}.
   *
   * @param ctx the context to read
   * @return the value, or the default
   * @throws NullPointerException if {@code ctx} is null
   * @throws ClassCastException naming this key, if the value stored under it (through the untyped
   *     {@link Context#withValue(Context, Object, Object)}) is not of this key's type
   */
  @SuppressWarnings("unchecked") // checked against type just before
  public @Nullable T get(Context ctx) {
    Objects.requireNonNull(ctx, "ctx");
    Object v = ctx.value(this);
    if (v == null) {
      return defaultValue;
    }
    if (!type.isInstance(v)) {
      throw wrongType(v);
    }
    return (T) v;
  }

  /**
   * The name given to {@link #of} or {@link #withDefault}.
   *
   * @return the name
   */
  @Override
  public String toString() {
    return name;
  }

  private ClassCastException wrongType(Object value) {
    return new ClassCastException(
        "context key "
            + name
            + " holds a "
            + value.getClass().getName()
            + ", not a "
            + type.getName());
  }

  private static Class<?> boxed(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    if (type == int.class) {
      return Integer.class;
    } else if (type == long.class) {
      return Long.class;
    } else if (type == boolean.class) {
      return Boolean.class;
    } else if (type == double.class) {
      return Double.class;
    } else if (type == float.class) {
      return Float.class;
    } else if (type == char.class) {
      return Character.class;
    } else if (type == byte.class) {
      return Byte.class;
    } else if (type == short.class) {
      return Short.class;
    }
    return Void.class;
  }
}
