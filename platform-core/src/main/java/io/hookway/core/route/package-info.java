@NullMarked
package io.hookway.core.route;

import org.jspecify.annotations.NullMarked;
