@NullMarked
package io.hookway.gateway;

import org.jspecify.annotations.NullMarked;
