/**
 * What every producer of webhook messages shares: which endpoints a message fans out to.
 */
@NullMarked
package io.hookway.core.event;

import org.jspecify.annotations.NullMarked;
