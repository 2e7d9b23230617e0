/**
 * How long finished work is kept, a setting the dispatcher and the portal share.
 */
@NullMarked
package io.hookway.core.retention;

import org.jspecify.annotations.NullMarked;
