@NullMarked
package io.hookway.core.id;

import org.jspecify.annotations.NullMarked;
