package com.creditwallet.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stop actions for everything the bench started, run newest first exactly once: at the end of
 * the run, on failure, or from the shutdown hook on Ctrl-C / SIGTERM.
 *
 * <p>Why it exists: the bench starts Cassandra, a wallet node, PostgreSQL and Redis; none of
 * them may outlive it, whatever way it ends. Something registered after the stop began (the
 * main thread still starting a system while Ctrl-C is handled) is stopped at once.
 */
public final class Cleanup {

  /** A stop action; may throw, which is printed and does not keep the others from running. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private record Entry(String what, Action action) {}

  private final Deque<Entry> actions = new ArrayDeque<>();
  private boolean stopping;
  private int running;

  /** Registers a stop action; runs it right away if the stop has already begun. */
  public void add(String what, Action action) {
    boolean now;
    synchronized (this) {
      now = stopping;
      if (!now) actions.push(new Entry(what, action));
    }
    if (now) runOne(new Entry(what, action));
  }

  /** Runs and forgets one action early (e.g. a system is done before the end of the run). */
  public void runNow(String what) {
    Entry found = null;
    synchronized (this) {
      for (Entry e : actions) {
        if (e.what().equals(what)) {
          found = e;
          break;
        }
      }
      if (found == null) return;
      actions.remove(found);
      running++;
    }
    try {
      runOne(found);
    } finally {
      synchronized (this) {
        running--;
        notifyAll();
      }
    }
  }

  /**
   * Runs every action, newest first, and returns once none is running any more, also those
   * another thread (the shutdown hook, or the main thread) is running at the same time.
   */
  public void runAll() {
    while (true) {
      Entry e;
      synchronized (this) {
        stopping = true;
        e = actions.poll();
        if (e == null) {
          while (running > 0) {
            try {
              wait();
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          return;
        }
        running++;
      }
      try {
        runOne(e);
      } finally {
        synchronized (this) {
          running--;
          notifyAll();
        }
      }
    }
  }

  public synchronized boolean stopping() {
    return stopping;
  }

  /** Throws when the stop has begun: nothing new may be started then. */
  public void checkNotStopping() {
    if (stopping()) throw new IllegalStateException("the bench is stopping");
  }

  private static void runOne(Entry e) {
    try {
      e.action().run();
    } catch (Exception | Error ex) {
      Log.line("could not stop " + e.what() + ": " + ex);
    }
  }
}
