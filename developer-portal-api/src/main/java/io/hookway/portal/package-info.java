@NullMarked
package io.hookway.portal;

import org.jspecify.annotations.NullMarked;
