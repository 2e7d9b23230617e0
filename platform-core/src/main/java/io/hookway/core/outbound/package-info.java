@NullMarked
package io.hookway.core.outbound;

import org.jspecify.annotations.NullMarked;
