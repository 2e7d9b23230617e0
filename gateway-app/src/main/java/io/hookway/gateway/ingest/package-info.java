@NullMarked
package io.hookway.gateway.ingest;

import org.jspecify.annotations.NullMarked;
