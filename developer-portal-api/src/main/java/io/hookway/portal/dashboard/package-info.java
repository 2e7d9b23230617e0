/**
 * The developer dashboard (API.md §11): server-rendered pages for one application,
 * reached by a one-time link.
 */
@NullMarked
package io.hookway.portal.dashboard;

import org.jspecify.annotations.NullMarked;
