package io.hookway.dispatcher.queue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Claimed work waiting for a slot at one destination, served in turns by owner: a route
 * shared by many applications starts one application's work, then the next one's, so that
 * a backlog claimed for one cannot line up in front of another's single task. Work that
 * lost a race for a slot goes first. Not thread-safe: its destination guards it.
 */
final class WaitingLine {

	private final int capacity;

	/** Each owner's work in arrival order; owners in the order of their next turn. */
	private final Map<Object, Deque<Runnable>> turns = new LinkedHashMap<>();

	private final Deque<Runnable> again = new ArrayDeque<>();

	private int size;

	WaitingLine(int capacity) {
		this.capacity = capacity;
	}

	/** Adds the work at the end of its owner's turn, if the line has room. */
	boolean offer(Object owner, Runnable work) {
		if (this.size >= this.capacity) {
			return false;
		}
		this.turns.computeIfAbsent(owner, (key) -> new ArrayDeque<>()).addLast(work);
		this.size++;
		return true;
	}

	/** Puts work that lost the race for a slot first, whatever the room. */
	void offerFirst(Runnable work) {
		this.again.addFirst(work);
		this.size++;
	}

	/** The next work in turn; its owner's next one waits for every other owner's turn. */
	@Nullable Runnable poll() {
		Runnable work = this.again.pollFirst();
		if (work == null) {
			Iterator<Map.Entry<Object, Deque<Runnable>>> owners = this.turns.entrySet().iterator();
			if (!owners.hasNext()) {
				return null;
			}
			Map.Entry<Object, Deque<Runnable>> first = owners.next();
			work = first.getValue().pollFirst();
			owners.remove();
			if (!first.getValue().isEmpty()) {
				this.turns.put(first.getKey(), first.getValue());
			}
		}
		this.size--;
		return work;
	}

	int size() {
		return this.size;
	}

}
