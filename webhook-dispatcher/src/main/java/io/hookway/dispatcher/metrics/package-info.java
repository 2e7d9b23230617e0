/** The dispatcher's own meters: queue depth and age, and observation timers. */
@NullMarked
package io.hookway.dispatcher.metrics;

import org.jspecify.annotations.NullMarked;
