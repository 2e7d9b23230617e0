package io.hookway.dispatcher.queue;

import java.util.UUID;

/**
 * What one claim may take.
 *
 * @param lease the lease its rows are taken under
 * @param rows most rows
 * @param bytes most bytes of bodies (payloads) summed over the rows
 * @param atLeastOne whether the first row is taken whatever its size: with nothing held,
 * a body over the budget is still worked on
 * @param start where a round over applications begins (past the last one the previous
 * claim served), and a point in the id space where rounds over an application's lanes
 * begin
 */
public record Claim(Lease lease, int rows, long bytes, boolean atLeastOne, UUID start) {
}
