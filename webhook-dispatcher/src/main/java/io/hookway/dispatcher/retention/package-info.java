/** Purges finished tasks, messages and attempts past their retention. */
@NullMarked
package io.hookway.dispatcher.retention;

import org.jspecify.annotations.NullMarked;
