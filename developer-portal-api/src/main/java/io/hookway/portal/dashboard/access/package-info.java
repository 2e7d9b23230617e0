@NullMarked
package io.hookway.portal.dashboard.access;

import org.jspecify.annotations.NullMarked;
