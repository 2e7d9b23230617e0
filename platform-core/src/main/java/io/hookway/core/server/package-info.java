@NullMarked
package io.hookway.core.server;

import org.jspecify.annotations.NullMarked;
