package org.ctx4j.checks.support;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.file.JavacFileManager;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Names;
import org.junit.jupiter.api.Test;

/** {@link NameSet}: identity answers within one compilation, nothing shared between two. */
class NameSetTest {
  private static final NameSet ROOTS = NameSet.of("background", "todo");

  @Test
  void answersWithTheNamesOfEachCompilation() {
    Context first = compilation();
    Context second = compilation();
    VisitorState inFirst = VisitorState.createForUtilityPurposes(first);
    VisitorState inSecond = VisitorState.createForUtilityPurposes(second);
    Names firstNames = Names.instance(first);
    Names secondNames = Names.instance(second);

    assertThat(ROOTS.contains(firstNames.fromString("todo"), inFirst)).isTrue();
    assertThat(ROOTS.contains(secondNames.fromString("background"), inSecond)).isTrue();
    assertThat(ROOTS.contains(firstNames.fromString("withTimeout"), inFirst)).isFalse();
    assertThat(ROOTS.contains(firstNames.fromString("tod"), inFirst)).isFalse();
    assertThat(ROOTS.contains(null, inFirst)).isFalse();
    // Asked again after the other compilation filled its own names: still its own answers.
    assertThat(ROOTS.contains(firstNames.fromString("background"), inFirst)).isTrue();
  }

  private static Context compilation() {
    Context context = new Context();
    JavacFileManager.preRegister(context);
    return context;
  }

  @Test
  void anEmptySetIsAMistake() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, NameSet::of);
    assertThat(e).hasMessageThat().contains("at least one name");
  }
}
