@NullMarked
package io.hookway.portal.endpoint;

import org.jspecify.annotations.NullMarked;
