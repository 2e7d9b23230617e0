@NullMarked
package io.hookway.core.security;

import org.jspecify.annotations.NullMarked;
