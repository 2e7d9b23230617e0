@NullMarked
package io.hookway.portal.dashboard.tasks;

import org.jspecify.annotations.NullMarked;
