@NullMarked
package io.hookway.portal.application;

import org.jspecify.annotations.NullMarked;
