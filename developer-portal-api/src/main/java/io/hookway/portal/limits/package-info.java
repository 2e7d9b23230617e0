/** The portal's per-application and per-client limits. */
@NullMarked
package io.hookway.portal.limits;

import org.jspecify.annotations.NullMarked;
