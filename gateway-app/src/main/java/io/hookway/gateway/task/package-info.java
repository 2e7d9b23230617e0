@NullMarked
package io.hookway.gateway.task;

import org.jspecify.annotations.NullMarked;
