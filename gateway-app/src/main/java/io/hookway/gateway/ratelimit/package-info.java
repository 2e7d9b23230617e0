@NullMarked
package io.hookway.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
