@NullMarked
package io.hookway.portal.message;

import org.jspecify.annotations.NullMarked;
