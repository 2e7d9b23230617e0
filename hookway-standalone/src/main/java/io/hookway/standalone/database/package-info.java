/**
 * Where the standalone process finds its database: the configured one, the local server
 * at the default address, or an embedded PostgreSQL it starts itself.
 */
@NullMarked
package io.hookway.standalone.database;

import org.jspecify.annotations.NullMarked;
