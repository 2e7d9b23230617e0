@NullMarked
package io.hookway.core.lifecycle;

import org.jspecify.annotations.NullMarked;
