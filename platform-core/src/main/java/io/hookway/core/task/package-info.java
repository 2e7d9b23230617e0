@NullMarked
package io.hookway.core.task;

import org.jspecify.annotations.NullMarked;
