@NullMarked
package io.hookway.portal.dashboard.deliveries;

import org.jspecify.annotations.NullMarked;
