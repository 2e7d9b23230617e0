@NullMarked
package io.hookway.core.queue;

import org.jspecify.annotations.NullMarked;
