/** The {@code Idempotency-Key} header every call of the gateway that takes one shares. */
@NullMarked
package io.hookway.gateway.idempotency;

import org.jspecify.annotations.NullMarked;
