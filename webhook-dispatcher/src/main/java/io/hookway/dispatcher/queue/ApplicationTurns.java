package io.hookway.dispatcher.queue;

import java.util.List;
import java.util.UUID;

import io.hookway.core.crypto.SecureRandoms;

/**
 * Where a claim's round over applications begins: just past the last application the
 * previous claim served, so that applications come first in turns whatever their ids. A
 * random start would not do: ids begin with their creation time, so nearly every random
 * value lies past them all and the oldest applications would always come first. Rounds
 * compare ids as PostgreSQL does, byte by byte.
 */
final class ApplicationTurns {

	/** Random at first, so that dispatchers started together begin apart. */
	private volatile UUID start = SecureRandoms.randomUuid();

	UUID start() {
		return this.start;
	}

	/**
	 * Moves the start past the applications of the rows a claim from {@code from}
	 * brought: the round went up from there and wrapped round to the lowest ids.
	 */
	void served(UUID from, List<? extends Leased> rows) {
		UUID last = null;
		boolean wrapped = false;
		for (Leased row : rows) {
			UUID application = row.applicationId();
			boolean before = compare(application, from) <= 0;
			if (last == null || (before && !wrapped) || (before == wrapped && compare(application, last) > 0)) {
				last = application;
				wrapped = before;
			}
		}
		if (last != null) {
			this.start = last;
		}
	}

	static int compare(UUID a, UUID b) {
		int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
		return (high != 0) ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
	}

}
