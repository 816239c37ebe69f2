/* The reconnect backoff shared by the chat widget and the agent console: after each failed
 * attempt the wait doubles, up to a ceiling, and is randomised so that many clients cut off
 * together (a gateway restart) do not all come back in the same instant.
 */

export class Backoff {
  /**
   * @param {() => void} retry       called when a scheduled wait is over
   * @param {object} options
   * @param {number} options.firstMs  the first wait (before randomising)
   * @param {number} options.maxMs    the longest wait (before randomising)
   * @param {[number, number]} options.spread  the wait is randomised to between these fractions
   */
  constructor(retry, { firstMs, maxMs, spread }) {
    this.retry = retry;
    this.firstMs = firstMs;
    this.maxMs = maxMs;
    this.spread = spread;
    this.attempts = 0; // waits scheduled since the last success
    this.timer = null;
  }

  /** A retry is waiting. */
  get pending() {
    return this.timer !== null;
  }

  /** The wait before the next attempt, in ms. */
  nextDelay() {
    const ceiling = Math.min(this.maxMs, this.firstMs * 2 ** this.attempts);
    const [low, high] = this.spread;
    return Math.round(ceiling * (low + Math.random() * (high - low)));
  }

  /** Schedules one retry (none if one is already waiting); returns whether it did. */
  schedule() {
    if (this.timer !== null) return false;
    const delay = this.nextDelay();
    this.attempts += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retry();
    }, delay);
    return true;
  }

  /** Drops a waiting retry. */
  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  /** Connected (or starting over): the next wait is the first one again. */
  reset() {
    this.attempts = 0;
  }
}
