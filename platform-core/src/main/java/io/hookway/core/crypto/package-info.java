@NullMarked
package io.hookway.core.crypto;

import org.jspecify.annotations.NullMarked;
