/** Writes answered within a time budget: a failure means not stored. */
@NullMarked
package io.hookway.gateway.store;

import org.jspecify.annotations.NullMarked;
