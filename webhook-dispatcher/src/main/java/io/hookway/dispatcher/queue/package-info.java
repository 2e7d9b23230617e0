/**
 * The queue engine both dispatcher queues run on: claims under a lease with a fencing id,
 * per-destination slots, breakers and local waiting, hand-back without counting an
 * attempt, grouped writes, wake-ups, and retry policies as data.
 */
@NullMarked
package io.hookway.dispatcher.queue;

import org.jspecify.annotations.NullMarked;
