/**
 * What every producer of webhook messages shares: which endpoints a message fans out to,
 * the envelope it is sent in, and the catalog's schemas its data is checked against.
 */
@NullMarked
package io.hookway.core.event;

import org.jspecify.annotations.NullMarked;
