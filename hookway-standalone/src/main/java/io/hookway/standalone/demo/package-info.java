@NullMarked
package io.hookway.standalone.demo;

import org.jspecify.annotations.NullMarked;
