package dev.tollgate.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The checks behind each module's {@code PublicApiTest}: a public type outside an {@code .internal} package is a
 * promise to every caller, so making one must be a decision, and an internal type must not leak through a public
 * signature. Shared through protocol's test jar, so that every module checks its API the same way.
 *
 * <p>It walks a module's compiled classes (the directory its anchor class was loaded from), so it sees every type,
 * whoever uses it. A type is API when it, and every type it is nested in, is public.
 */
public final class PublicApi {
  private PublicApi() {}

  /**
   * Fails unless the public types of {@code anchor}'s module in the API packages are exactly {@code api} (canonical
   * names), naming what is missing from the list and what the list holds in vain.
   */
  public static void assertExactly(Class<?> anchor, Predicate<String> isApiPackage, Set<String> api) throws Exception {
    Set<String> found = new TreeSet<>();
    for (Class<?> type : apiTypes(anchor, isApiPackage)) {
      found.add(type.getCanonicalName());
    }
    Set<String> unlisted = new TreeSet<>(found);
    unlisted.removeAll(api);
    assertTrue(unlisted.isEmpty(), "public types that are not in PublicApiTest.API: " + unlisted + ". Each is a"
        + " promise to every caller: add it to the list if it is meant to be API, or move it to an .internal package"
        + " (or make it package-private).");
    Set<String> gone = new TreeSet<>(api);
    gone.removeAll(found);
    assertTrue(gone.isEmpty(), "listed in PublicApiTest.API but no longer public: " + gone + "; take them off it.");
  }

  /** Fails when a public signature of an API type names a type of an {@code .internal} package. */
  public static void assertNoInternalTypeInSignatures(Class<?> anchor, Predicate<String> isApiPackage)
      throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : apiTypes(anchor, isApiPackage)) {
      List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
      if (type.getGenericSuperclass() != null) {
        supertypes.add(type.getGenericSuperclass());
      }
      for (Type t : supertypes) {
        check(type.getCanonicalName() + " extends or implements", t, leaks);
      }
      for (Field f : type.getDeclaredFields()) {
        if (isVisible(type, f)) {
          check(type.getCanonicalName() + "." + f.getName(), f.getGenericType(), leaks);
        }
      }
      List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
      for (Method m : type.getDeclaredMethods()) {
        if (!m.isSynthetic() && !m.isBridge()) {
          executables.add(m);
        }
      }
      for (Executable e : executables) {
        if (!isVisible(type, e)) {
          continue;
        }
        String where = type.getCanonicalName() + "." + (e instanceof Constructor ? "<init>" : e.getName()) + "(…)";
        if (e instanceof Method m) {
          check(where, m.getGenericReturnType(), leaks);
        }
        for (Type t : e.getGenericParameterTypes()) {
          check(where, t, leaks);
        }
        for (Type t : e.getGenericExceptionTypes()) {
          check(where, t, leaks);
        }
      }
    }
    assertTrue(leaks.isEmpty(), "public signatures that name internal types, which callers then depend on: " + leaks
        + ". Return or take a public type (an interface in the API package) instead.");
  }

  /** Public members, and protected ones of a class a caller can extend. */
  private static boolean isVisible(Class<?> owner, Member member) {
    int m = member.getModifiers();
    return Modifier.isPublic(m) || (Modifier.isProtected(m) && !Modifier.isFinal(owner.getModifiers()));
  }

  private static void check(String where, Type type, List<String> leaks) {
    check(where, type, leaks, new HashSet<>());
  }

  private static void check(String where, Type type, List<String> leaks, Set<Type> seen) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.getPackageName().contains(".internal")) {
        leaks.add(where + " names " + c.getName());
      }
    } else if (type instanceof ParameterizedType p) {
      check(where, p.getRawType(), leaks, seen);
      for (Type argument : p.getActualTypeArguments()) {
        check(where, argument, leaks, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        check(where, bound, leaks, seen);
      }
      for (Type bound : w.getLowerBounds()) {
        check(where, bound, leaks, seen);
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type bound : v.getBounds()) {
        check(where, bound, leaks, seen);
      }
    } else if (type instanceof GenericArrayType a) {
      check(where, a.getGenericComponentType(), leaks, seen);
    }
  }

  /** The types of this module that callers can name, in the API packages. */
  private static List<Class<?>> apiTypes(Class<?> anchor, Predicate<String> isApiPackage)
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isDirectory(classes), "expected the module's compiled classes in a directory, not " + classes);
    List<String> names;
    try (Stream<Path> files = Files.walk(classes)) {
      names = files.map(f -> classes.relativize(f).toString().replace('\\', '/'))
          .filter(f -> f.endsWith(".class") && !f.endsWith("module-info.class") && !f.endsWith("package-info.class"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .toList();
    }
    List<Class<?>> api = new ArrayList<>();
    for (String name : names) {
      Class<?> type = Class.forName(name, false, anchor.getClassLoader());
      if (isApiPackage.test(type.getPackageName()) && isAccessible(type)) {
        api.add(type);
      }
    }
    assertFalse(api.isEmpty(), "no API types found under " + classes);
    return api;
  }

  /** Public, and if nested, nested only in public types; never anonymous, local or synthetic. */
  private static boolean isAccessible(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic() || !Modifier.isPublic(c.getModifiers())) {
        return false;
      }
    }
    return true;
  }
}
