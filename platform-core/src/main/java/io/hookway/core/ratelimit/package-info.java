/**
 * Rate limits kept in one process: a fixed-window limit per key, with what a client must
 * be told about it (permits left, when they come back).
 */
@NullMarked
package io.hookway.core.ratelimit;

import org.jspecify.annotations.NullMarked;
