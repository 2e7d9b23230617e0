@NullMarked
package io.hookway.portal.delivery;

import org.jspecify.annotations.NullMarked;
