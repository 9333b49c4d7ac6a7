package org.ctx4j.checks.lostcancel;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.VarSymbol;

/**
 * A factory call whose context is stored in a local variable: what the analysis tracks.
 *
 * @param call the factory call that creates the context
 * @param resource what it creates
 * @param variable the local variable it is stored in
 * @param holder the declaration or assignment that stores it
 */
record CreationSite(
    MethodInvocationTree call, Leak.Resource resource, VarSymbol variable, Tree holder) {}
