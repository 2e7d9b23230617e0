@NullMarked
package io.hookway.portal.dashboard.messages;

import org.jspecify.annotations.NullMarked;
