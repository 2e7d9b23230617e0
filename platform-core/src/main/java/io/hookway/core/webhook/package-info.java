@NullMarked
package io.hookway.core.webhook;

import org.jspecify.annotations.NullMarked;
