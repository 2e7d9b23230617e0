@NullMarked
package io.hookway.dispatcher;

import org.jspecify.annotations.NullMarked;
