/**
 * The OpenAPI document: the refusals, scopes and headers of every operation, derived from
 * the services' access rules and problem codes.
 */
@NullMarked
package io.hookway.core.openapi;

import org.jspecify.annotations.NullMarked;
