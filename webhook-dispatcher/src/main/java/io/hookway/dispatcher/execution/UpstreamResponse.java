package io.hookway.dispatcher.execution;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** What an upstream answered; the body already read up to the size limit. */
record UpstreamResponse(int statusCode, Map<String, String> headers, byte[] body, @Nullable Duration retryAfter) {
}
