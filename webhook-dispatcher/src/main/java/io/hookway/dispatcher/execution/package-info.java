@NullMarked
package io.hookway.dispatcher.execution;

import org.jspecify.annotations.NullMarked;
