@NullMarked
package io.hookway.portal.token;

import org.jspecify.annotations.NullMarked;
