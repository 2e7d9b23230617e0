package io.hookway.dispatcher.queue;

import java.util.List;

/**
 * What a claim took.
 *
 * @param <W> the rows
 * @param rows the rows claimed, each held under the claim's lease
 * @param cutByBytes whether due rows were left for want of bytes: the engine then claims
 * again once half its bytes are free rather than at the next tick
 */
public record Claimed<W>(List<W> rows, boolean cutByBytes) {
}
