@NullMarked
package io.hookway.portal.dashboard.endpoints;

import org.jspecify.annotations.NullMarked;
