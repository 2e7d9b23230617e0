@NullMarked
package io.hookway.core.db;

import org.jspecify.annotations.NullMarked;
