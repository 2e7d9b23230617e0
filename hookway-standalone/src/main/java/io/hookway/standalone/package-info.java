@NullMarked
package io.hookway.standalone;

import org.jspecify.annotations.NullMarked;
