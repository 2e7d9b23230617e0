@NullMarked
package io.hookway.core.web;

import org.jspecify.annotations.NullMarked;
