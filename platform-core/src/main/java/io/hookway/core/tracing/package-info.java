/**
 * One trace from a client's call through the task's execution to its webhooks, across the
 * database that separates them.
 */
@NullMarked
package io.hookway.core.tracing;

import org.jspecify.annotations.NullMarked;
