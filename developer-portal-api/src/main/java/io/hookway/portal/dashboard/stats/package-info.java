@NullMarked
package io.hookway.portal.dashboard.stats;

import org.jspecify.annotations.NullMarked;
