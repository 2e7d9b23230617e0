@NullMarked
package io.hookway.portal.dashboard.eventtypes;

import org.jspecify.annotations.NullMarked;
