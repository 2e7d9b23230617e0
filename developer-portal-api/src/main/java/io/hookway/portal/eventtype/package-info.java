@NullMarked
package io.hookway.portal.eventtype;

import org.jspecify.annotations.NullMarked;
