@NullMarked
package io.hookway.dispatcher.delivery;

import org.jspecify.annotations.NullMarked;
